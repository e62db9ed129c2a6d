{#- Model hooks. Each hook is a dict {sql, transaction}; its SQL is rendered
    now, with the node's context, so hooks may use this, ref, var... -#}

{% macro run_hooks(hooks, inside_transaction=true) %}
  {% for hook in hooks | selectattr('transaction', 'equalto', inside_transaction) %}
    {% set rendered = render(hook.get('sql')) | trim %}
    {% if rendered | length > 0 %}
      {% call statement(auto_begin=inside_transaction) %}
        {{ rendered }}
      {% endcall %}
    {% endif %}
  {% endfor %}
{% endmacro %}

{% macro make_hook_config(sql, inside_transaction) %}
  {{ return({'sql': sql, 'transaction': inside_transaction}) }}
{% endmacro %}

{% macro before_begin(sql) %}
  {{ return(make_hook_config(sql, inside_transaction=false)) }}
{% endmacro %}

{% macro in_transaction(sql) %}
  {{ return(make_hook_config(sql, inside_transaction=true)) }}
{% endmacro %}

{% macro after_commit(sql) %}
  {{ return(make_hook_config(sql, inside_transaction=false)) }}
{% endmacro %}
