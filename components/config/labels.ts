/**
 * `labels`: Google's rules for each key and value (rules/gcp-labels.ts), the keys the program sets
 * itself refused rather than silently overridden, and the 64-label ceiling counted with those keys.
 */
import { isLabelKey, isLabelValue, LABEL_KEY_RULE, LABEL_VALUE_RULE, MAX_LABELS_PER_RESOURCE } from "../../rules/gcp-labels";
import { PLATFORM_LABEL_KEYS, RESOURCE_LABEL_KEYS } from "../resource-labels";
import { child, describeTyped, type IssueCollector, optionalMap, userMap } from "./config-values";
import { quoteText } from "./display-text";

/** Labels the program adds to one resource at most: the platform's plus one per-resource label. */
export const PROGRAM_LABELS_PER_RESOURCE = PLATFORM_LABEL_KEYS.length + 1;

export function parseLabels(issues: IssueCollector, value: unknown): Record<string, string> {
    const labels = userMap<string>();
    const map = optionalMap(issues, value, "labels", "a map of label keys to values");
    if (map === undefined) {
        return labels;
    }
    const owned = [...PLATFORM_LABEL_KEYS, ...RESOURCE_LABEL_KEYS];
    for (const [key, raw] of Object.entries(map)) {
        const path = child("labels", key);
        if (owned.includes(key)) {
            issues.add(path, `is set by the program on the resources it labels (${owned.join(", ")}); remove it from the stack file`);
            continue;
        }
        if (!isLabelKey(key)) {
            issues.add(path, `is not a valid label key; allowed: ${LABEL_KEY_RULE}`);
            continue;
        }
        if (typeof raw !== "string" || !isLabelValue(raw)) {
            const shown = typeof raw === "string" ? quoteText(raw) : describeTyped(raw);
            issues.add(path, `is ${shown}; expected a label value (${LABEL_VALUE_RULE})`);
            continue;
        }
        labels[key] = raw;
    }
    const count = Object.keys(map).length;
    const allowed = MAX_LABELS_PER_RESOURCE - PROGRAM_LABELS_PER_RESOURCE;
    if (count > allowed) {
        issues.add(
            "labels",
            `has ${count} labels; Google Cloud allows ${MAX_LABELS_PER_RESOURCE} per resource and the program adds up to ${PROGRAM_LABELS_PER_RESOURCE}, so at most ${allowed}`,
        );
    }
    return labels;
}
