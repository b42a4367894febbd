"""The forms' renderer: Django's widget templates for Jinja2 (issue 15: the board's forms render ~100
<option>s, each an {% include %} in the Django engine, several times slower), and what only the Django
engine has (the admin's widget wrappers) through the Django engine."""

from functools import cached_property

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(Jinja2):
    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self._django.get_template(template_name)

    @cached_property
    def _django(self) -> DjangoTemplates:
        return DjangoTemplates()
