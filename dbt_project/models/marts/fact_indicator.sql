with mentions as (
    select * from {{ ref('stg_indicator_mentions') }}
),

documents as (
    select document_id, report_year, region from {{ ref('stg_documents') }}
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
        mentions.loaded_at
    from mentions
    left join documents using (document_id)
)

select * from final
