with source as (
    select * from {{ source('raw', 'rejected_files') }}
),

renamed as (
    select
        source_file,
        reason,
        content_hash,
        size_bytes,
        seen_at
    from source
)

select * from renamed
