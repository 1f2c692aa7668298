{#
  The documents the ingest step touched in this run (loaded, replaced, rejected, duplicated,
  gone): an incremental model deletes their old rows and inserts their new ones.
#}
{% macro changed_documents() %}
  select document_id from {{ source('raw', 'changed_documents') }}
{% endmacro %}

{#- The pre-hook of the marts built by document (dbt_project.yml): the changed documents' old rows go. -#}
{% macro delete_changed_documents() %}
  {% if is_incremental() %}delete from {{ this }} where document_id in ({{ changed_documents() }}){% endif %}
{% endmacro %}
