with source as (
    select * from {{ source('raw', 'indicator_mentions') }}
),

renamed as (
    select
        document_id,
        source_file,
        mention_index,
        coalesce(domain_id, 'general') as domain_id,
        nullif(trim(section_title), '') as section_title,
        nullif(trim(indicator_name), '') as indicator_name,
        indicator_code,
        metric,
        cast(value as double) as value,
        cast(value_high as double) as value_high,
        coalesce(unit, '') as unit,
        qualifier,
        cast(period_year as integer) as period_year,
        is_target,
        mention_text,
        sentence,
        sentence_index,
        paragraph_index,
        loaded_at
    from source
)

select * from renamed
