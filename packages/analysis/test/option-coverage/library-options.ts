/**
 * The library's public option types and estimator functions, read from the packages' entry points
 * with the TypeScript compiler API (so a new option or estimator shows up without anyone listing it).
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

export const LIBRARY_PACKAGES = ['regression', 'did', 'resample', 'ann'] as const;

export interface LibraryExports {
  /** `package:Interface` -> its property names (inherited ones included). */
  readonly optionTypes: ReadonlyMap<string, readonly string[]>;
  /** `package:function` of every exported function that takes a PanelFrame first (an estimator on data). */
  readonly frameFunctions: readonly string[];
}

export function readLibraryExports(): LibraryExports {
  const files = LIBRARY_PACKAGES.map((p) => fileURLToPath(new URL(`../../../${p}/src/index.ts`, import.meta.url)));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const optionTypes = new Map<string, readonly string[]>();
  const frameFunctions: string[] = [];
  files.forEach((file, k) => {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`cannot read the exports of ${file}`);
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const key = `${LIBRARY_PACKAGES[k]}:${exported.name}`;
      if (exported.name.endsWith('Options') && symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
        optionTypes.set(key, checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).map((p) => p.name));
      }
      if (symbol.flags & ts.SymbolFlags.Function) {
        const first = checker.getTypeOfSymbol(symbol).getCallSignatures()[0]?.parameters[0];
        if (first && /\bPanelFrame\b/.test(checker.typeToString(checker.getTypeOfSymbol(first)))) frameFunctions.push(key);
      }
    }
  });
  return { optionTypes, frameFunctions };
}
