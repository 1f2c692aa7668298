with source as (
    select * from {{ source('raw', 'rejected_files') }}
),

renamed as (
    select
        document_id,
        source_file,
        source_file_bytes,
        reason,
        content_hash,
        size_bytes,
        seen_at
    from source
)

select * from renamed
