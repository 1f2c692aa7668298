with indicators as (
    select * from {{ ref('indicators') }}
),

names as (
    select indicator_code, string_agg(name, '|' order by name) as surface_names, count(*) as surface_name_count
    from {{ rules_table('indicator_names') }}
    group by indicator_code
),

final as (
    select
        indicators.indicator_code,
        indicators.name_zh,
        indicators.name_en,
        indicators.unit_family,
        indicators.metrics,
        indicators.target_metric,
        indicators.better,
        indicators.description,
        coalesce(names.surface_names, '') as surface_names,
        coalesce(names.surface_name_count, 0) as surface_name_count
    from indicators
    left join names using (indicator_code)
)

select * from final
