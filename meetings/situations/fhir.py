"""FHIR R4 export (being written)."""


def situation_bundle(situation) -> dict:
    raise NotImplementedError
