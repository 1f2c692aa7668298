with documents as (
    select * from {{ ref('stg_documents') }}
),

final as (
    select
        document_id,
        source_file,
        source_file_bytes,
        title,
        region,
        report_year,
        report_year_source,
        encoding,
        content_hash,
        size_bytes,
        status,
        duplicate_of,
        mention_count,
        extractor_version,
        loaded_at,
        last_seen_at,
        is_present
    from documents
)

select * from final
