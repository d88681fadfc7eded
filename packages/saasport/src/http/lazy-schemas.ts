import { AjvCompiler } from "@fastify/ajv-compiler";
import { SerializerSelector } from "@fastify/fast-json-stringify-compiler";

/** What Fastify hands a compiler for one route's schema (body, query, a response status, ...). */
interface RouteSchema {
  schema: unknown;
  method?: string | undefined;
  url?: string | undefined;
}

type Validate = ((data: unknown) => unknown) & { errors?: unknown };
type Serialize = (data: unknown) => string;
type CompilerFactory<Compiled> = (
  externalSchemas: unknown,
  options: unknown,
) => (routeSchema: RouteSchema) => Compiled;

export interface LazySchemaCompilers {
  buildValidator: CompilerFactory<Validate>;
  buildSerializer: CompilerFactory<Serialize>;
  /** Compiles every schema not compiled yet; throws the first compile error (for tests). */
  compileAll(): void;
}

/**
 * Fastify's own validator (Ajv) and serializer (fast-json-stringify) compilers, deferred until a
 * route's schema is first used. Compiling every route's schemas at start-up took about a third of
 * Saasport's start time, while most routes (console, operator, partner) are rarely called.
 */
export function lazySchemaCompilers(): LazySchemaCompilers {
  const validators = AjvCompiler() as unknown as CompilerFactory<Validate>;
  const serializers = SerializerSelector() as unknown as CompilerFactory<Serialize>;
  const pending = new Set<() => unknown>();

  function deferred<Compiled>(factory: CompilerFactory<Compiled>): CompilerFactory<() => Compiled> {
    return (externalSchemas, options) => {
      let compilerOfContext: ((routeSchema: RouteSchema) => Compiled) | undefined;
      return (routeSchema) => {
        let compiled: Compiled | undefined;
        const compile = (): Compiled => {
          if (compiled === undefined) {
            compilerOfContext ??= factory(externalSchemas, options);
            compiled = compilerOfContext(routeSchema);
            pending.delete(compile);
          }
          return compiled;
        };
        pending.add(compile);
        return compile;
      };
    };
  }

  const lazyValidators = deferred(validators);
  const lazySerializers = deferred(serializers);
  return {
    buildValidator: (externalSchemas, options) => {
      const compilerOfContext = lazyValidators(externalSchemas, options);
      return (routeSchema) => {
        const compile = compilerOfContext(routeSchema);
        const validate: Validate = (data) => compile()(data);
        // Fastify reads the errors of a failed validation from the function itself.
        Object.defineProperty(validate, "errors", { get: () => compile().errors });
        return validate;
      };
    },
    buildSerializer: (externalSchemas, options) => {
      const compilerOfContext = lazySerializers(externalSchemas, options);
      return (routeSchema) => {
        const compile = compilerOfContext(routeSchema);
        return (data) => compile()(data);
      };
    },
    compileAll() {
      for (const compile of [...pending]) compile();
    },
  };
}
