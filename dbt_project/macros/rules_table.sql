{#- A rule table of the extractor (sources/rules/NAME.csv), read where it lives so that it has
    one home. dbt runs with the project folder as its working directory (see profiles.yml). -#}
{% macro rules_table(name) -%}
    read_csv('../sources/rules/{{ name }}.csv', comment = '#', header = true, all_varchar = true)
{%- endmacro %}
