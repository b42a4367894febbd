"""The roles (Django groups) and the model permissions each one has. The groups are created by a data
migration; `seed_demo` and administrators put users in them."""

ROLES = {
    "ward_nurse": "Afsnitssygeplejerske",
    "discharge_coordinator": "Udskrivningskoordinator",
    "visitator": "Visitator",
    "forloebskoordinator": "Forløbskoordinator",
    "manager": "Leder",
    "administrator": "Administrator",
}
