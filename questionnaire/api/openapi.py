"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Written by hand, except the schema of the run-time bank, which is generated from the pydantic
model the application itself uses, so the two cannot drift apart. A test checks that every
/api/v1 route is described here and every path described here exists.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from questionnaire.banks.schema import CLUSTERS, INSTRUMENTS, Bank
from questionnaire.reference.models import CONSENT_KINDS, REGIONAL_GROUPS
from questionnaire.reference.names import UN_LANGUAGES
from questionnaire.reviews.models import REVIEW_STATUSES
from questionnaire.workspace.models import LIST_STATUSES

API_VERSION = "1.0.0"
REVIEW_STATUS_FILTERS = (*REVIEW_STATUSES, "overdue", *LIST_STATUSES)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description: str) -> dict[str, Any]:
    return _json(_ref("Error"), description)


def _nullable(kind: str, **extra: Any) -> dict[str, Any]:
    return {"type": [kind, "null"], **extra}


_STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}

_SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error", "message"],
        "properties": {
            "error": {
                "type": "string",
                "description": "a stable code",
                "examples": ["unauthorized", "forbidden", "not_found", "bad_request"],
            },
            "message": {"type": "string", "description": "what went wrong, for people"},
        },
    },
    "BankLinks": {
        "type": "object",
        "required": ["json"],
        "properties": {
            "api": {"type": "string", "format": "uri-reference"},
            "json": {"type": "string", "format": "uri-reference"},
            "html": {"type": "string", "format": "uri-reference"},
        },
    },
    "BankVersionSummary": {
        "type": "object",
        "required": [
            "id",
            "instrument",
            "cluster",
            "version",
            "status",
            "sha256",
            "question_count",
            "title",
            "loaded_at",
            "links",
        ],
        "properties": {
            "id": {"type": "integer"},
            "instrument": {"type": "string", "enum": list(INSTRUMENTS)},
            "cluster": {"type": "string", "enum": list(CLUSTERS)},
            "version": {"type": "integer", "minimum": 1},
            "status": {"type": "string", "enum": ["draft", "published"]},
            "sha256": {
                "type": "string",
                "pattern": "^[0-9a-f]{64}$",
                "description": "SHA-256 of the bank file as recorded; identifies the content",
            },
            "question_count": {"type": "integer", "description": "follow-ups included"},
            "title": {**_STRING_MAP, "description": "title per language code"},
            "loaded_at": {"type": "string", "format": "date-time"},
            "links": _ref("BankLinks"),
        },
    },
    "BankVersionList": {
        "type": "object",
        "required": ["banks"],
        "properties": {"banks": {"type": "array", "items": _ref("BankVersionSummary")}},
    },
    "BankVersion": {
        "allOf": [
            _ref("BankVersionSummary"),
            {
                "type": "object",
                "required": ["bank"],
                "properties": {"bank": _ref("Bank")},
            },
        ]
    },
    "ReviewStatus": {
        "type": "object",
        "required": [
            "id",
            "state",
            "instrument",
            "cluster",
            "bank_version",
            "status",
            "started_on",
            "answers_due_on",
            "submitted_at",
            "list_status",
            "reviewing_states",
            "overdue",
        ],
        "properties": {
            "id": {"type": "integer"},
            "state": {
                "type": "object",
                "required": ["code", "name"],
                "properties": {
                    "code": {"type": "string", "description": "ISO 3166-1 alpha-3"},
                    "name": {"type": "string", "description": "English name"},
                },
            },
            "instrument": {"type": "string", "enum": list(INSTRUMENTS)},
            "cluster": {"type": "string", "enum": list(CLUSTERS)},
            "bank_version": {
                "type": "object",
                "required": ["id", "version"],
                "properties": {"id": {"type": "integer"}, "version": {"type": "integer"}},
            },
            "phase": _nullable("string", description="name of the review phase"),
            "status": {"type": "string", "enum": list(REVIEW_STATUSES)},
            "started_on": {"type": "string", "format": "date"},
            "answers_due_on": {"type": "string", "format": "date"},
            "submitted_at": _nullable("string", format="date-time"),
            "list_status": {
                "type": ["string", "null"],
                "enum": [*LIST_STATUSES, None],
                "description": "status of the list of observations; null before submission",
            },
            "reviewing_states": {
                "type": "array",
                "items": {"type": "string"},
                "description": "alpha-3 codes of the reviewing States now seated",
            },
            "overdue": {
                "type": "array",
                "items": {
                    "type": "string",
                    "enum": ["focal_point", "experts", "answers", "feedback"],
                },
            },
        },
    },
    "ReviewStatusList": {
        "type": "object",
        "required": ["reviews"],
        "properties": {"reviews": {"type": "array", "items": _ref("ReviewStatus")}},
    },
}


def _bank_schemas() -> dict[str, Any]:
    """The run-time bank's JSON Schema, from the pydantic model, as component schemas."""
    schema = Bank.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions = schema.pop("$defs", {})
    return {**definitions, "Bank": schema}


def _parameter(where: str, name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema,
        "description": description,
    }


_STATE_SCHEMAS: dict[str, Any] = {
    "Participation": {
        "type": "object",
        "description": "signature of and consent to one instrument (docs/treaty-status.md)",
        "required": ["instrument", "consent_kind", "is_party", "is_demo", "source"],
        "properties": {
            "instrument": {"type": "string", "enum": list(INSTRUMENTS)},
            "signed_on": _nullable("string", format="date"),
            "consent_kind": _nullable(
                "string",
                enum=[*CONSENT_KINDS, None],
                description="not_recorded: demo data without kind or dates",
            ),
            "consent_on": _nullable("string", format="date", description="date of deposit"),
            "in_force_on": _nullable(
                "string", format="date", description="entry into force for the State"
            ),
            "is_party": {"type": "boolean", "description": "party as at the date asked"},
            "is_demo": {"type": "boolean", "description": "not from the UN Treaty Collection"},
            "source": {"type": "string"},
        },
    },
    "State": {
        "type": "object",
        "required": [
            "code",
            "iso2",
            "names",
            "unverified_names",
            "regional_group",
            "participation",
        ],
        "properties": {
            "code": {"type": "string", "description": "ISO 3166-1 alpha-3; EUU for the EU"},
            "iso2": {"type": "string"},
            "names": {
                "type": "object",
                "description": "UN short names in the six official languages",
                "required": list(UN_LANGUAGES),
                "properties": {language: {"type": "string"} for language in UN_LANGUAGES},
            },
            "unverified_names": {
                "type": "array",
                "items": {"type": "string", "enum": list(UN_LANGUAGES)},
                "description": "languages whose name is not yet checked against UNTERM",
            },
            "regional_group": _nullable(
                "string",
                enum=[*(g for g in REGIONAL_GROUPS if g != "none"), None],
                description="UN regional group; null for none (the EU, Cook Islands, Niue)",
            ),
            "participation": {"type": "array", "items": _ref("Participation")},
        },
    },
    "StateList": {
        "type": "object",
        "required": ["as_at", "names_source", "states"],
        "properties": {
            "as_at": {"type": "string", "format": "date"},
            "names_source": {"type": "string"},
            "states": {"type": "array", "items": _ref("State")},
        },
    },
}

_PATHS: dict[str, Any] = {
    "/api/v1/states": {
        "get": {
            "operationId": "listStates",
            "summary": "Every State: UN names, regional group, participation per instrument",
            "tags": ["states"],
            "security": [],
            "parameters": [
                _parameter(
                    "query",
                    "as_at",
                    {"type": "string", "format": "date"},
                    "the date `is_party` is decided at (default: today)",
                )
            ],
            "responses": {
                "200": _json(_ref("StateList"), "every State, by code"),
                "400": _error("as_at is not a date"),
            },
        }
    },
    "/api/v1/banks": {
        "get": {
            "operationId": "listBanks",
            "summary": "Published question bank versions",
            "tags": ["banks"],
            "security": [],
            "responses": {"200": _json(_ref("BankVersionList"), "every published version")},
        }
    },
    "/api/v1/banks/{instrument}/{cluster}/{version}": {
        "get": {
            "operationId": "getBank",
            "summary": "One published bank version, with the whole run-time bank",
            "tags": ["banks"],
            "security": [],
            "parameters": [
                _parameter("path", "instrument", {"type": "string", "enum": list(INSTRUMENTS)}, ""),
                _parameter("path", "cluster", {"type": "string", "enum": list(CLUSTERS)}, ""),
                _parameter("path", "version", {"type": "integer", "minimum": 1}, ""),
            ],
            "responses": {
                "200": _json(_ref("BankVersion"), "the bank version"),
                "404": _error("no published version with this instrument, cluster and version"),
            },
        }
    },
    "/api/v1/reviews": {
        "get": {
            "operationId": "listReviews",
            "summary": "The status of every review (secretariat tokens only)",
            "tags": ["reviews"],
            "security": [{"bearerToken": []}],
            "parameters": [
                _parameter(
                    "query", "instrument", {"type": "string", "enum": list(INSTRUMENTS)}, ""
                ),
                _parameter(
                    "query",
                    "status",
                    {"type": "string", "enum": list(REVIEW_STATUS_FILTERS)},
                    "review status, overdue, or status of the list of observations",
                ),
                _parameter("query", "phase_id", {"type": "integer"}, "a review phase"),
                _parameter(
                    "query",
                    "region",
                    {"type": "string", "enum": list(REGIONAL_GROUPS)},
                    "UN regional group of the State under review",
                ),
            ],
            "responses": {
                "200": _json(_ref("ReviewStatusList"), "the reviews matching the filters"),
                "400": _error("a filter has a value it cannot take"),
                "401": _error("no token, or a token that is unknown or revoked"),
                "403": _error("the token's account is no longer an active secretariat account"),
            },
        }
    },
    "/api/v1/openapi.json": {
        "get": {
            "operationId": "getOpenApi",
            "summary": "This description",
            "tags": ["meta"],
            "security": [],
            "responses": {
                "200": {
                    "description": "the OpenAPI 3.1 document",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    },
}


@cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "UNTOC review questionnaires API",
            "version": API_VERSION,
            "summary": "Read-only: published question banks, States and the status of reviews",
            "description": "See docs/api.md. Errors are JSON objects with `error` and `message`.",
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "banks", "description": "published question banks (public)"},
            {"name": "reviews", "description": "reviews (secretariat, by API token)"},
            {"name": "states", "description": "States, their names and treaty status (public)"},
            {"name": "meta", "description": "this description"},
        ],
        "paths": _PATHS,
        "components": {
            "schemas": {**_SCHEMAS, **_STATE_SCHEMAS, **_bank_schemas()},
            "securitySchemes": {
                "bearerToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "a token from `questionnaire api-token create`",
                }
            },
        },
    }
