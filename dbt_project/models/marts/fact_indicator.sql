with mentions as (
    select * from {{ ref('stg_indicator_mentions') }}
    {% if is_incremental() %}
    -- only the documents this run changed: their old rows were deleted by the pre-hook
    where document_id in ({{ changed_documents() }})
    {% endif %}
),

documents as (
    select document_id, report_year, region, region_code from {{ ref('stg_documents') }}
),

final as (
    select
        md5(mentions.document_id || ':' || cast(mentions.mention_index as varchar)) as indicator_key,
        mentions.document_id,
        mentions.source_file,
        mentions.mention_index,
        mentions.domain_id,
        mentions.section_title,
        mentions.indicator_name,
        mentions.indicator_code,
        mentions.metric,
        mentions.value,
        mentions.value_high,
        mentions.unit,
        mentions.qualifier,
        mentions.period_year,
        mentions.is_target,
        mentions.mention_text,
        mentions.sentence,
        mentions.sentence_index,
        documents.report_year,
        documents.region,
        documents.region_code,
        mentions.loaded_at
    from mentions
    left join documents using (document_id)
)

select * from final
