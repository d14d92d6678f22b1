"""Forms the lessons' Django examples import (`from .forms import OrderForm`)."""

from django import forms

from tests.examples.django_app import models


class OrderForm(forms.ModelForm):
    class Meta:
        model = models.Order
        fields = ["sku", "qty"]


class UserForm(forms.ModelForm):
    class Meta:
        model = models.Account
        fields = ["email", "name"]


class SignupForm(forms.ModelForm):
    class Meta:
        model = models.Account
        fields = ["email", "name"]


class MemberForm(forms.ModelForm):
    email = forms.EmailField()  # required, unlike the model field

    class Meta:
        model = models.Member
        fields = ["name", "email"]
