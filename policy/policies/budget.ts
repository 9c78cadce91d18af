import { COST_CONFIG_SCHEMA, CostConfig, costConfigProblems, estimateOptions } from "../../cost/config";
import { CostEstimate, CostItem, estimateCost, Figures, usd } from "../../cost/estimate";
import { PriceError } from "../../cost/prices";
import type { GuardrailStackPolicy } from "./support";

/** The environment's monthly estimate against its budget: what a plan will cost before it is applied. */

const FIGURES: (keyof Figures)[] = ["floor", "expected", "ceiling"];
const LARGEST = 5;

/** The items that weigh most in one figure, for the message. */
function largest(estimate: CostEstimate, figure: keyof Figures): string {
    return [...estimate.items]
        .sort((a: CostItem, b: CostItem) => b.monthly[figure] - a.monthly[figure])
        .slice(0, LARGEST)
        .filter((i) => i.monthly[figure] > 0)
        .map((i) => `${i.resource} ${i.item} ${usd(i.monthly[figure])}`)
        .join("; ");
}

export const environmentBudget: GuardrailStackPolicy = {
    name: "environment-budget",
    description:
        "The plan's monthly cost estimate (envstack's price table with the stack's negotiated prices, and the tier's usage assumptions) stays within the budget the policy config sets for its floor, expected and ceiling figures; a resource that should bill but cannot be priced, and a region without prices, are reported rather than counted as zero.",
    why: "A change that adds a node group or raises a pool's limits changes the bill by more than anyone reads in a diff: the budget makes the figure part of the review.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps:
        "Lower the largest items named (node group sizes, NodePool limits, NAT gateways, retention), or raise the budget in this environment's policy config after review; add prices for an unpriced type or region to cost/prices.",
    configSchema: { properties: COST_CONFIG_SCHEMA },
    validateStack: (args, report) => {
        const config = args.getConfig<Partial<CostConfig>>();
        const problems = costConfigProblems(config as Record<string, unknown>, "environment-budget");
        if (problems.length > 0) {
            report(`the budget's config is invalid: ${problems.join("; ")}`);
            return;
        }
        let estimate: CostEstimate;
        try {
            estimate = estimateCost(args.resources, estimateOptions(config));
        } catch (err) {
            if (err instanceof PriceError) return report(`the plan cannot be priced: ${err.message}`);
            throw err;
        }
        for (const u of estimate.unpriced) report(`it cannot be priced, so the budget cannot be proven: ${u.reason}`, u.urn);
        for (const figure of FIGURES) {
            const limit = config.budget?.[figure];
            const total = estimate.totals[figure];
            if (limit !== undefined && total > limit) {
                report(`the ${figure} estimate is ${usd(total)} a month (${estimate.region}, prices of ${estimate.pricesAsOf}, ${estimate.tier} usage), over the budget of ${usd(limit)}; largest items: ${largest(estimate, figure)}`);
            }
        }
    },
};

export const budgetPolicies = [environmentBudget];
