with sentences as (
    select * from {{ ref('stg_long_sentences') }}
    {% if is_incremental() %}
    where document_id in ({{ changed_documents() }})
    {% endif %}
)

select document_id, sentence_index, sentence, char_count
from sentences
