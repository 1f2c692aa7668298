{#
  Relations are written without their catalog ("main"."stg_documents", not
  "warehouse"."main"."stg_documents"): DuckDB names the catalog after the database file, and a
  view that named it would break as soon as the file is opened under another name.
#}
{% macro ref() %}
  {% set relation = builtins.ref(*varargs, **kwargs) %}
  {% do return(relation.include(database=false)) %}
{% endmacro %}

{% macro source() %}
  {% set relation = builtins.source(*varargs, **kwargs) %}
  {% do return(relation.include(database=false)) %}
{% endmacro %}
