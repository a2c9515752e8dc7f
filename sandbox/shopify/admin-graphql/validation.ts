/**
 * Static validation with Shopify's error shape. Shopify runs graphql-ruby, which answers an invalid
 * document with HTTP 200 and `{ errors: [{ message, locations, extensions: { code } }] }`, where
 * `code` names the failed rule (`undefinedField`, `missingRequiredArguments`, ...). We validate with
 * graphql-js, so messages are graphql-js's wording, but the codes are graphql-ruby's
 * (lib/graphql/static_validation/rules/*_error.rb), so code that branches on them behaves the same.
 */
import {
  ExecutableDefinitionsRule,
  FieldsOnCorrectTypeRule,
  FragmentsOnCompositeTypesRule,
  KnownArgumentNamesRule,
  KnownDirectivesRule,
  KnownFragmentNamesRule,
  KnownTypeNamesRule,
  LoneAnonymousOperationRule,
  NoFragmentCyclesRule,
  NoUndefinedVariablesRule,
  NoUnusedFragmentsRule,
  NoUnusedVariablesRule,
  OverlappingFieldsCanBeMergedRule,
  PossibleFragmentSpreadsRule,
  ProvidedRequiredArgumentsRule,
  ScalarLeafsRule,
  SingleFieldSubscriptionsRule,
  specifiedRules,
  UniqueArgumentNamesRule,
  UniqueDirectivesPerLocationRule,
  UniqueFragmentNamesRule,
  UniqueInputFieldNamesRule,
  UniqueOperationNamesRule,
  UniqueVariableNamesRule,
  validate,
  ValuesOfCorrectTypeRule,
  VariablesAreInputTypesRule,
  VariablesInAllowedPositionRule,
} from "graphql";
import type { DocumentNode, GraphQLError, SourceLocation, ValidationRule } from "graphql";
import type { AdminSchema } from "./schema";

export interface ShopifyGraphqlError {
  message: string;
  locations?: SourceLocation[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

const rubyCodes = new Map<ValidationRule, string>([
  [ExecutableDefinitionsRule, "queryContainsSchemaDefinitions"],
  [FieldsOnCorrectTypeRule, "undefinedField"],
  [FragmentsOnCompositeTypesRule, "fragmentOnNonCompositeType"],
  [KnownArgumentNamesRule, "argumentNotAccepted"],
  [KnownDirectivesRule, "undefinedDirective"],
  [KnownFragmentNamesRule, "useAndDefineFragment"],
  [KnownTypeNamesRule, "undefinedType"],
  [LoneAnonymousOperationRule, "uniquelyNamedOperations"],
  [NoFragmentCyclesRule, "infiniteLoop"],
  [NoUndefinedVariablesRule, "variableNotDefined"],
  [NoUnusedFragmentsRule, "useAndDefineFragment"],
  [NoUnusedVariablesRule, "variableNotUsed"],
  [OverlappingFieldsCanBeMergedRule, "fieldConflict"],
  [PossibleFragmentSpreadsRule, "cannotSpreadFragment"],
  [ProvidedRequiredArgumentsRule, "missingRequiredArguments"],
  [ScalarLeafsRule, "selectionMismatch"],
  [SingleFieldSubscriptionsRule, "notSingleSubscription"],
  [UniqueArgumentNamesRule, "argumentNotUnique"],
  [UniqueDirectivesPerLocationRule, "directiveNotUniqueForLocation"],
  [UniqueFragmentNamesRule, "fragmentNotUnique"],
  [UniqueInputFieldNamesRule, "inputFieldNotUnique"],
  [UniqueOperationNamesRule, "uniquelyNamedOperations"],
  [UniqueVariableNamesRule, "variableNotUnique"],
  [ValuesOfCorrectTypeRule, "argumentLiteralsIncompatible"],
  [VariablesAreInputTypesRule, "variableRequiresValidType"],
  [VariablesInAllowedPositionRule, "variableMismatch"],
]);

function rubyCode(rule: ValidationRule, error: GraphQLError): string {
  // graphql-js folds two graphql-ruby rules into each of these.
  if (rule === KnownDirectivesRule && /may not be used on/.test(error.message)) {
    return "directiveCannotBeApplied";
  }
  if (
    rule === ValuesOfCorrectTypeRule &&
    /of required type .* was not provided/.test(error.message)
  ) {
    return "missingRequiredInputObjectAttribute";
  }
  return rubyCodes.get(rule) ?? "validationFailed";
}

function toShopifyError(error: GraphQLError, code: string): ShopifyGraphqlError {
  return {
    message: error.message,
    ...(error.locations ? { locations: [...error.locations] } : {}),
    extensions: { code },
  };
}

/** Validates `document`; an empty array means it is valid for this schema. */
export function validateAdminDocument(
  admin: AdminSchema,
  document: DocumentNode,
): ShopifyGraphqlError[] {
  if (validate(admin.schema, document).length === 0) return [];
  // Only invalid documents pay for one pass per rule, which is what attributes each error to a rule.
  const errors: ShopifyGraphqlError[] = [];
  for (const rule of specifiedRules) {
    for (const error of validate(admin.schema, document, [rule])) {
      errors.push(toShopifyError(error, rubyCode(rule, error)));
    }
  }
  return errors;
}
