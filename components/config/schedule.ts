import { Cron } from "croner";

/** The descriptors Karpenter's cron parser (robfig/cron's standard one) accepts besides five fields. */
const FIELDS = ["minute", "hour", "day-of-month", "month", "day-of-week"];
const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const DESCRIPTORS = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

/**
 * Why a Karpenter disruption-budget schedule is not one, or undefined: five fields (minute, hour,
 * day of month, month, day of week, in UTC) or a descriptor, each value in range, and a time
 * that comes. Parsed with croner; the field count is Karpenter's, which has no seconds.
 */
export function scheduleProblem(schedule: string): string | undefined {
    const text = schedule.trim();
    if (text.startsWith("@")) return DESCRIPTORS.includes(text) ? undefined : `${text} is not a descriptor Karpenter knows (${DESCRIPTORS.join(", ")})`;
    const fields = text.split(/\s+/);
    if (fields.length !== 5) return `it has ${fields.length} field(s); Karpenter's schedules have five: minute, hour, day of month, month, day of week`;
    // Karpenter's parser (robfig/cron) knows numbers, names, * ? , - and /; not L, W or #, and days of the week 0 to 6.
    for (const [i, field] of fields.entries()) {
        const names = i === 3 ? MONTHS : i === 4 ? DAYS : [];
        const words = field.toLowerCase().match(/[a-z]+/g) ?? [];
        if (!/^[0-9a-z*?,/-]+$/i.test(field) || words.some((w) => !names.includes(w))) return `the ${FIELDS[i]} field ${JSON.stringify(field)} is not a cron value Karpenter reads (numbers, names, * ? , - and /)`;
        if (i === 4 && (field.match(/\d+/g) ?? []).some((n) => Number(n) > 6 && !/\/\d+$/.test(field))) return `the day-of-week field ${JSON.stringify(field)} goes past 6; Karpenter counts Sunday as 0, from 0 to 6`;
    }
    let cron: Cron;
    try {
        cron = new Cron(text, { paused: true, timezone: "UTC" });
    } catch (err) {
        const message = String((err as Error).message).replace(/^CronPattern: /, "");
        const entry = /configuration entry (\d) \((.*)\) contains illegal characters/.exec(message);
        return entry ? `the ${FIELDS[Number(entry[1]) - 1] ?? "schedule's"} field ${JSON.stringify(entry[2])} is not a cron value` : message.replace(/\.$/, "");
    }
    return cron.nextRun() === null ? "it never matches a date" : undefined;
}
