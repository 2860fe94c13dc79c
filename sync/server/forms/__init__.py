"""The editing forms: HSDS documents <-> form values, and validation with a message per field.

A form's *values* are a plain dict: ``name`` / ``name_en`` for a field in Albanian and English,
lists of dicts for repeated rows (``values["phones"] == [{"id": ..., "number": ...}, ...]``,
posted as ``phones-0-number``), lists of ids for checkboxes. *Errors* are keyed like the posted
fields (``name``, ``phones-0-number``) and hold English message ids that the page translates.

Converting back (``*_from_form``) starts from the stored document, so HSDS fields the form does
not show are kept, and rows keep their ids.
"""
