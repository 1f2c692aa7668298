with rejected as (
    select * from {{ ref('stg_rejected_files') }}
)

select source_file, reason, seen_at, content_hash, size_bytes
from rejected
