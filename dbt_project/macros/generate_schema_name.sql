{#-
  A model's schema is the one it names, as written: staging views in `staging`, seeds in `seeds`,
  marts in the default schema (`main`). dbt's own macro would prefix the target's schema
  (`main_staging`); BI tools list schemas by name, and analysts should see `staging`, not that.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}
