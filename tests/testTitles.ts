import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

/**
 * The full titles of the tests in spec files ("describe ... it"), read from their source with the
 * TypeScript parser, so a test can ask what the suite covers without running it.
 */
export function testTitles(files: string[]): string[] {
    const titles: string[] = [];
    for (const file of files) {
        const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
        // String constants, for titles written as templates (`${POLICY}: ...`).
        const constants = new Map<string, string>();
        const collect = (node: ts.Node): void => {
            if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isStringLiteral(node.initializer)) constants.set(node.name.text, node.initializer.text);
            ts.forEachChild(node, collect);
        };
        collect(source);
        const text = (e: ts.Expression | undefined): string => {
            if (!e) return "";
            if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return e.text;
            if (ts.isTemplateExpression(e)) return e.head.text + e.templateSpans.map((s) => (ts.isIdentifier(s.expression) ? (constants.get(s.expression.text) ?? "") : "") + s.literal.text).join("");
            return "";
        };
        const visit = (node: ts.Node, chain: string[]): void => {
            if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ["describe", "it"].includes(node.expression.text)) {
                const title = text(node.arguments[0]);
                if (node.expression.text === "it") titles.push([...chain, title].join(" "));
                node.arguments.forEach((a) => visit(a, [...chain, title]));
                return;
            }
            ts.forEachChild(node, (child) => visit(child, chain));
        };
        visit(source, [path.basename(file)]);
    }
    return titles;
}
