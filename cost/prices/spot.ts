/**
 * Spot is not a list price: it moves with supply. AWS states savings of up to 90%; it publishes no
 * average. envstack assumes Spot at 35% of On-Demand, inside the 50-70% savings commonly realized
 * on diversified groups; a stack sets its own with `ec2.spot.fraction`.
 */
export const SPOT_ASSUMPTION = "assumption: AWS states Spot saves up to 90% (https://aws.amazon.com/ec2/spot/pricing/) and publishes no average; 65% off is taken";
