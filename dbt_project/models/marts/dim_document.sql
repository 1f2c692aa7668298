with documents as (
    select * from {{ ref('stg_documents') }}
    {% if is_incremental() %}
    -- only the documents this run touched (seen again included): their old rows were deleted by the pre-hook
    where document_id in ({{ changed_documents() }})
    {% endif %}
),

final as (
    select
        document_id,
        source_file,
        source_file_bytes,
        title,
        region,
        region_level,
        region_code,
        province,
        region_as_written,
        region_source,
        region_note,
        report_year,
        report_year_source,
        delivered_on,
        speaker,
        targets_not_set,
        targets_not_set_sentence,
        encoding,
        format,
        content_hash,
        file_hash,
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
