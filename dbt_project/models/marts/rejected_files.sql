with rejected as (
    select * from {{ ref('stg_rejected_files') }}
)

select source_file, reason, seen_at, document_id, source_file_bytes, content_hash, size_bytes
from rejected
