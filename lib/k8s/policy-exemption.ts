/**
 * Exempting objects from one rule of the security policy, with a reason that ends up in the manifest
 * for reviewers to read.
 */
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { BatchplaneError, withPath } from '../model/errors';
import { EXEMPTION_ANNOTATION_PREFIX, isPolicyRuleId, POLICY_RULES, PolicyRuleId } from './policy';

/** The ApiObjects a scope stands for: itself when it is one, else every ApiObject below it. */
function apiObjectsOf(scope: IConstruct): ApiObject[] {
  if (ApiObject.isApiObject(scope)) return [scope];
  return scope.node.findAll().filter(ApiObject.isApiObject);
}

/**
 * Exempts `scope` from one policy rule by annotating `batchplane.io/policy-exempt.<rule>: <reason>` on
 * the scope when it is an ApiObject, or on every ApiObject under it that exists at the time of the call
 * (call it after the construct has created its objects).
 *
 * @param scope an ApiObject, or a construct containing ApiObjects.
 * @param rule the rule to exempt from.
 * @param reason why the rule does not apply; required.
 * @throws BatchplaneError when the rule is unknown, the reason is empty, or the scope holds no ApiObject.
 */
export function exemptFromPolicy(scope: IConstruct, rule: PolicyRuleId, reason: string): void {
  withPath(scope.node.path, () => {
    if (!isPolicyRuleId(rule)) {
      throw new BatchplaneError('rule', rule, `a policy rule id (${Object.keys(POLICY_RULES).join(', ')})`);
    }
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new BatchplaneError('reason', reason, 'a non-empty sentence saying why the rule does not apply');
    }
    const objects = apiObjectsOf(scope);
    if (objects.length === 0) {
      throw new BatchplaneError('scope', scope.node.path, 'an ApiObject or a construct containing ApiObjects');
    }
    for (const obj of objects) obj.metadata.addAnnotation(`${EXEMPTION_ANNOTATION_PREFIX}${rule}`, reason.trim());
  });
}
