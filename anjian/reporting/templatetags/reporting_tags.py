from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key], or None: the value of a report field by its key."""
    return mapping.get(key) if hasattr(mapping, "get") else None
