"""csatbot core: domain types, the survey engine, triage rules and the conversation service.

Nothing in this package imports a chat SDK, an HTTP framework, SQLModel or torch.
"""
