"""Secrets and variables for repository, organization and user scopes."""

from __future__ import annotations

import falcon
from marshmallow import Schema, fields

from plue_core.errors import Invalid
from plue_core.openapi import operation
from plue_core.pagination import paginate
from plue_core.validation import load_body

from plue_actions import secrets, variables
from plue_actions.resources.access import ScopedResource, scoped_ids
from plue_actions.schemas.shapes import SECRET_SHAPE, VARIABLE_SHAPE, Shapes


_SCOPES = ("repo", "org", "user")  # secrets and variables have no site-wide scope


class CreateOrUpdateSecretOption(Schema):
    """Gitea's, with GitHub's sealed-box fields."""
    data = fields.String(load_default=None, allow_none=True)
    encrypted_value = fields.String(load_default=None, allow_none=True)
    key_id = fields.Raw(load_default=None, allow_none=True)
    description = fields.String(load_default=None, allow_none=True)


class CreateVariableOption(Schema):
    value = fields.String(load_default=None, allow_none=True)
    description = fields.String(load_default=None, allow_none=True)


class UpdateVariableOption(CreateVariableOption):
    name = fields.String(load_default=None, allow_none=True)  # a new name


def _created(resp) -> None:
    """201 without a body, as Gitea's ``ctx.Status(201)``: announced as an empty text, never as
    JSON a client would try to parse (the pulls plugin's merge answers its 200 the same way)."""
    resp.status = falcon.HTTP_201
    resp.content_type = falcon.MEDIA_TEXT
    resp.text = ""


class SecretsResource(ScopedResource):
    @operation("List secrets (names only, never values)", response=SECRET_SHAPE, many=True,
               tags=["actions"], operation_id=scoped_ids(
                   "/secrets", repo="repoListActionsSecrets", org="orgListActionsSecrets"))
    def on_get(self, req, resp, **params):
        owner_id, repository_id = self.scope(req, params, write=False)
        rows = paginate(req, resp, secrets.list_secrets(owner_id, repository_id), self.pagination)
        resp.media = [Shapes.secret(row) for row in rows]


class SecretResource(ScopedResource):
    @operation("Create or update a secret (data, or encrypted_value with key_id)", tags=["actions"],
               request=CreateOrUpdateSecretOption, operation_id=scoped_ids("/secrets/{}", "update{Scope}Secret",
                                                           kinds=_SCOPES))
    def on_put(self, req, resp, secretname, **params):
        owner_id, repository_id = self.scope(req, params, write=True)
        body = load_body(req, CreateOrUpdateSecretOption)
        if body["data"] is None and body["encrypted_value"] is None:
            raise Invalid("data is required (or GitHub's encrypted_value with key_id)")
        created = secrets.put_secret(self.service.box, owner_id, repository_id, secretname,
                                     data=body["data"], encrypted_value=body["encrypted_value"],
                                     key_id=body["key_id"], description=body["description"])
        if created:
            _created(resp)
        else:
            resp.status = falcon.HTTP_204

    @operation("Delete a secret", tags=["actions"],
               operation_id=scoped_ids("/secrets/{}", "delete{Scope}Secret", kinds=_SCOPES))
    def on_delete(self, req, resp, secretname, **params):
        owner_id, repository_id = self.scope(req, params, write=True)
        secrets.delete_secret(owner_id, repository_id, secretname)
        resp.status = falcon.HTTP_204


class PublicKeyResource(ScopedResource):
    @operation("The scope's public key for GitHub's sealed-box secret upload", tags=["actions"])
    def on_get(self, req, resp, **params):
        owner_id, repository_id = self.scope(req, params, write=False)
        pair = secrets.key_pair(self.service.box, owner_id, repository_id)
        resp.media = {"key_id": pair.key_id, "key": pair.public_key}


class VariablesResource(ScopedResource):
    @operation("List variables", response=VARIABLE_SHAPE, many=True, tags=["actions"],
               operation_id=scoped_ids("/variables", "get{Scope}VariablesList", kinds=_SCOPES))
    def on_get(self, req, resp, **params):
        owner_id, repository_id = self.scope(req, params, write=False)
        rows = paginate(req, resp, variables.list_variables(owner_id, repository_id), self.pagination)
        resp.media = [Shapes.variable(row) for row in rows]


class VariableResource(ScopedResource):
    @operation("Get a variable", response=VARIABLE_SHAPE, tags=["actions"],
               operation_id=scoped_ids("/variables/{}", "get{Scope}Variable", kinds=_SCOPES))
    def on_get(self, req, resp, variablename, **params):
        owner_id, repository_id = self.scope(req, params, write=False)
        resp.media = Shapes.variable(variables.get_variable(owner_id, repository_id, variablename))

    @operation("Create a variable", tags=["actions"], request=CreateVariableOption,
               operation_id=scoped_ids("/variables/{}", "create{Scope}Variable", kinds=_SCOPES))
    def on_post(self, req, resp, variablename, **params):
        owner_id, repository_id = self.scope(req, params, write=True)
        body = load_body(req, CreateVariableOption)
        variables.create_variable(owner_id, repository_id, variablename, body["value"],
                                  body["description"] or "")
        _created(resp)

    @operation("Update a variable (value, optionally a new name)", tags=["actions"],
               request=UpdateVariableOption,
               operation_id=scoped_ids("/variables/{}", "update{Scope}Variable", kinds=_SCOPES))
    def on_put(self, req, resp, variablename, **params):
        owner_id, repository_id = self.scope(req, params, write=True)
        body = load_body(req, UpdateVariableOption)
        variables.update_variable(owner_id, repository_id, variablename, value=body["value"],
                                  new_name=body["name"], description=body["description"])
        resp.status = falcon.HTTP_204

    @operation("Delete a variable", tags=["actions"],
               operation_id=scoped_ids("/variables/{}", "delete{Scope}Variable", kinds=_SCOPES))
    def on_delete(self, req, resp, variablename, **params):
        owner_id, repository_id = self.scope(req, params, write=True)
        variables.delete_variable(owner_id, repository_id, variablename)
        resp.status = falcon.HTTP_204
