"""People: the secretariat invites and manages the platform's accounts (focal points,
committee members, translators, secretariat); each person sees, downloads or erases
what the platform holds about them."""
