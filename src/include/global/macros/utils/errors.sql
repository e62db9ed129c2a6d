{#- Raise a compiler error about bad arguments to a cross-database macro,
    naming the model (or other node) whose SQL made the call: the error's own
    location is this macro file, which is not the file to fix. -#}
{% macro tsdbt_utils_error(message) -%}
  {%- set caller_file = model.original_file_path if (model is defined and model is mapping and model.original_file_path) else none -%}
  {{ exceptions.raise_compiler_error(message ~ ((' (called from ' ~ caller_file ~ ')') if caller_file else '')) }}
{%- endmacro %}
