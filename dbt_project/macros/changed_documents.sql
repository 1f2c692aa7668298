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

{#
  The regions whose figures this run changed: those the changed documents name now, and those they
  named before (a changed file may name another region, a pruned one is gone). A mart built by
  region (fct_target_outcome) judges these regions' cells again and keeps every other region's rows.
#}
{% macro changed_regions() %}
  select previous_region_code from {{ source('raw', 'changed_documents') }} where previous_region_code is not null
  union
  select region_code from {{ source('raw', 'documents') }}
  where region_code is not null and document_id in ({{ changed_documents() }})
{% endmacro %}

{#- The pre-hook of the marts built by region: the changed regions' old rows go. -#}
{% macro delete_changed_regions() %}
  {% if is_incremental() %}delete from {{ this }} where region_code in ({{ changed_regions() }}){% endif %}
{% endmacro %}
