//! TypeScript declarations for `bindings-node/dts-header.d.ts`.

use serde_json::Value;

use crate::model::{doc, is_object, properties, ty, wrap, Model, Ty};

/// The generated region: one `export interface` or `export type` per
/// declaration.
pub fn render(model: &Model) -> Result<String, String> {
    let mut out = String::new();
    for decl in &model.decls {
        out.push_str(&comment(&doc(&decl.schema), ""));
        if is_object(&decl.schema) {
            out.push_str(&format!("export interface {} {{\n", decl.name));
            for (key, schema, required) in properties(&decl.schema) {
                let key = if decl.camel_case_in_node {
                    agent_mira::schema::camel_case(key)
                } else {
                    key.to_string()
                };
                out.push_str(&comment(&doc(schema), "  "));
                let optional = if required { "" } else { "?" };
                let t = expr(&ty(schema).map_err(|e| format!("{}.{key}: {e}", decl.name))?);
                out.push_str(&format!("  {key}{optional}: {t}\n"));
            }
            out.push_str("}\n\n");
        } else {
            let t = expr(&ty(&decl.schema).map_err(|e| format!("{}: {e}", decl.name))?);
            out.push_str(&format!("export type {} = {t}\n\n", decl.name));
        }
    }
    Ok(out)
}

/// A type expression in TypeScript.
fn expr(t: &Ty) -> String {
    match t {
        Ty::Ref(name) => name.clone(),
        Ty::Lit(Value::String(s)) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        Ty::Lit(v) => v.to_string(),
        Ty::Prim("string") => "string".into(),
        Ty::Prim("number" | "integer") => "number".into(),
        Ty::Prim("boolean") => "boolean".into(),
        Ty::Prim(_) => "null".into(),
        Ty::Array(item) => match **item {
            Ty::Union(_) => format!("Array<{}>", expr(item)),
            _ => format!("{}[]", expr(item)),
        },
        Ty::Map(Some(value)) => format!("Record<string, {}>", expr(value)),
        Ty::Map(None) => "Record<string, unknown>".into(),
        Ty::Union(members) => members.iter().map(expr).collect::<Vec<_>>().join(" | "),
        Ty::Unknown => "unknown".into(),
    }
}

/// A `/** … */` comment, or nothing for an empty text.
fn comment(text: &str, indent: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let text = wrap(&text.replace("*/", "*\\/"), 96 - indent.len());
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() == 1 {
        return format!("{indent}/** {} */\n", lines[0]);
    }
    let mut out = format!("{indent}/**\n");
    for line in lines {
        if line.is_empty() {
            out.push_str(&format!("{indent} *\n"));
        } else {
            out.push_str(&format!("{indent} * {line}\n"));
        }
    }
    out.push_str(&format!("{indent} */\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions() {
        let t = Ty::Union(vec![
            Ty::Array(Box::new(Ty::Union(vec![
                Ty::Lit("a".into()),
                Ty::Lit("b".into()),
            ]))),
            Ty::Prim("null"),
        ]);
        assert_eq!(expr(&t), "Array<'a' | 'b'> | null");
        assert_eq!(expr(&Ty::Map(None)), "Record<string, unknown>");
    }

    #[test]
    fn node_keys_are_camel_case_and_vocabularies_canonical() {
        let model = Model::new(&agent_mira::schema::input_types()).unwrap();
        let ts = render(&model).unwrap();
        assert!(ts.contains("  minBedrooms?: number | null\n"), "{ts}");
        assert!(
            ts.contains("  propertyTypes?: PropertyType[] | null\n"),
            "{ts}"
        );
        assert!(ts.contains("  id: PropertyId\n"), "{ts}");
        assert!(ts.contains("export type PropertyType = 'sfh' | 'condo' | 'townhouse' | 'apartment' | 'villa' | 'land' | 'commercial'\n"), "{ts}");
        // Keys inside are the core's: component names stay snake_case.
        assert!(ts.contains("  price_match?: number\n"), "{ts}");
    }
}
