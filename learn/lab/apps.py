from django.apps import AppConfig


class LabConfig(AppConfig):
    name = "learn.lab"
    label = "lab"
    verbose_name = "Lab"
