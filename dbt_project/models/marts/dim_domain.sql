with domains as (
    select * from {{ ref('domains') }}
),

keywords as (
    select domain_id, count(*) as keyword_count
    from {{ rules_table('domain_words') }}
    group by domain_id
),

final as (
    select
        domains.domain_id,
        domains.domain_name,
        domains.domain_name_en,
        domains.sort_order,
        coalesce(keywords.keyword_count, 0) as keyword_count
    from domains
    left join keywords using (domain_id)
)

select * from final
