{#
  The documents the ingest step touched in this run (loaded, replaced, rejected, duplicated,
  gone): an incremental model deletes their old rows and inserts their new ones.
#}
{% macro changed_documents() %}
  select document_id from {{ source('raw', 'changed_documents') }}
{% endmacro %}
