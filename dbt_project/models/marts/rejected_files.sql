with rejected as (
    select * from {{ ref('stg_rejected_files') }}
    {% if is_incremental() %}
    -- a file rejected, loaded at last or gone this run is among the changed documents
    where document_id in ({{ changed_documents() }})
    {% endif %}
)

select source_file, reason, seen_at, document_id, source_file_bytes, content_hash, size_bytes
from rejected
