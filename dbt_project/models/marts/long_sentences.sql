with sentences as (
    select * from {{ ref('stg_long_sentences') }}
)

select document_id, sentence_index, sentence, char_count
from sentences
