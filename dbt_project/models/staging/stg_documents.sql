with source as (
    select * from {{ source('raw', 'documents') }}
),

renamed as (
    select
        document_id,
        source_file,
        source_file_bytes,
        content_hash,
        file_hash,
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
        size_bytes,
        char_count,
        extractor_version,
        status,
        duplicate_of,
        mention_count,
        loaded_at,
        last_seen_at,
        is_present
    from source
)

select * from renamed
