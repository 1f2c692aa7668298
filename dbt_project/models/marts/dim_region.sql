with divisions as (
    select * from {{ rules_table('divisions') }}
),

national as (
    select '100000' as region_code, '全国' as region_name, '全国' as full_name, 'national' as region_level,
           cast(null as varchar) as parent_code, cast(null as varchar) as province
),

final as (
    select region_code, region_name, full_name, region_level, parent_code, province from national
    union all
    select
        code as region_code,
        name as region_name,
        full_name,
        level as region_level,
        -- provinces belong to the nation
        coalesce(nullif(parent_code, ''), '100000') as parent_code,
        nullif(province, '') as province
    from divisions
)

select * from final
