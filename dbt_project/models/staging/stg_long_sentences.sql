with source as (
    select * from {{ source('raw', 'long_sentences') }}
),

renamed as (
    select
        document_id,
        sentence_index,
        sentence,
        length(sentence) as char_count
    from source
)

select * from renamed
