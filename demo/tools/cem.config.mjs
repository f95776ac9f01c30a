// Configuration of the custom-elements manifest (`npm run manifest`).
//
// The elements declare their reactive properties in `static properties` (smaller pages than the
// decorators: see README, "Bundles"). The analyzer's Lit plugin reads that object but takes every
// entry for a public attribute, internal `state: true` ones included, and marks every entry public.
// The plugin below restores what the decorators gave: an internal state property has no attribute,
// and public members carry no privacy mark, as elsewhere in the manifest.

/** Names of `state: true` entries in a class's `static properties`, by class name. */
const internal = new Map();

function stateProperties() {
  return {
    name: 'crm-state-properties',
    analyzePhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || node.name === undefined) return;
      for (const member of node.members) {
        const isStatic = ts.getModifiers?.(member)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
        if (!isStatic || member.name?.getText() !== 'properties' || member.initializer === undefined || !ts.isObjectLiteralExpression(member.initializer)) continue;
        const names = new Set();
        for (const entry of member.initializer.properties) {
          if (!ts.isPropertyAssignment(entry) || !ts.isObjectLiteralExpression(entry.initializer)) continue;
          const state = entry.initializer.properties.some((o) => ts.isPropertyAssignment(o) && o.name.getText() === 'state' && o.initializer.kind === ts.SyntaxKind.TrueKeyword);
          if (state) names.add(entry.name.getText());
        }
        internal.set(node.name.getText(), names);
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules ?? []) {
        for (const declaration of mod.declarations ?? []) {
          // inherited entries name the class that declared them
          const isState = (item) => internal.get(item.inheritedFrom?.name ?? declaration.name)?.has(item.fieldName ?? item.name) === true;
          if (declaration.attributes !== undefined) declaration.attributes = declaration.attributes.filter((a) => !isState(a));
          for (const member of declaration.members ?? []) {
            if (isState(member)) delete member.attribute;
            // the analyzer leaves public members unmarked, except those it read from `static properties`
            if (member.privacy === 'public') delete member.privacy;
          }
        }
      }
    },
  };
}

export default {
  litelement: true,
  globs: ['src/components/**/*.ts'],
  exclude: ['src/components/**/*.styles.ts'],
  plugins: [stateProperties()],
};
