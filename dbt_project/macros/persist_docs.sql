{#
  Table and column comments (persist_docs in dbt_project.yml) are written when a mart's table is
  made: its first build, a full refresh, every build of a table model. An incremental run appends
  rows to a table that has them already (its YAML is unchanged: a change to it is a new models
  version, rebuilt in full), and writing them again cost each incremental mart about a tenth of a
  second of every one-file run.
#}
{% macro duckdb__persist_docs(relation, model, for_relation, for_columns) -%}
  {%- if not is_incremental() -%}
    {{ return(dbt.default__persist_docs(relation, model, for_relation, for_columns)) }}
  {%- endif -%}
{%- endmacro %}
