//! Reading the files' structs from JSON objects only.
//!
//! serde reads a struct from an array of its fields' values as readily as
//! from an object, so `"settings": []` would load as the default settings
//! and `"epics": [["A", "red"]]` as an epic "A", and the next save would
//! write them back as objects: a file nobody wrote that way, read as
//! something it does not say. [`from_str`] reads through a deserializer
//! that asks `serde_json` for an object wherever a struct is read, at every
//! depth, so anything else is refused with `serde_json`'s own message and
//! place. Everything else is passed through untouched.

use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// Parse `text` as `serde_json` does, except that every struct must be a
/// JSON object.
///
/// # Errors
/// `serde_json`'s, with the line and column; for a struct that is not an
/// object, "invalid type: …, expected a JSON object ({ … })".
pub(crate) fn from_str<'de, T: de::Deserialize<'de>>(text: &'de str) -> serde_json::Result<T> {
    let mut json = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(Objects(&mut json))?;
    json.end()?;
    Ok(value)
}

/// A deserializer that reads structs from objects only, and hands the
/// same rule down to every value inside.
struct Objects<D>(D);

/// Forward each named `deserialize_…` method, its visitor wrapped.
macro_rules! forward {
    ($($method:ident($($arg:ident: $type:ty),*))*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $type,)* visitor: V) -> Result<V::Value, D::Error> {
                self.0.$method($($arg,)* Within(visitor))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Objects<D> {
    type Error = D::Error;

    /// `serde_json`'s `deserialize_struct` takes an array too; its
    /// `deserialize_map` takes only an object, and refuses anything else
    /// where it stands.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Object(visitor))
    }

    forward! {
        deserialize_any()
        deserialize_bool()
        deserialize_i8()
        deserialize_i16()
        deserialize_i32()
        deserialize_i64()
        deserialize_i128()
        deserialize_u8()
        deserialize_u16()
        deserialize_u32()
        deserialize_u64()
        deserialize_u128()
        deserialize_f32()
        deserialize_f64()
        deserialize_char()
        deserialize_str()
        deserialize_string()
        deserialize_bytes()
        deserialize_byte_buf()
        deserialize_option()
        deserialize_unit()
        deserialize_unit_struct(name: &'static str)
        deserialize_newtype_struct(name: &'static str)
        deserialize_seq()
        deserialize_tuple(len: usize)
        deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_map()
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
        deserialize_identifier()
        deserialize_ignored_any()
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// A struct's visitor, which says what a struct must be when it is not.
struct Object<V>(V);

/// Any other visitor, handing the rule down to what it reads inside.
struct Within<V>(V);

/// Forward each named `visit_…` method of a value with nothing inside.
macro_rules! visit {
    ($($method:ident($type:ty))*) => {
        $(
            fn $method<E: de::Error>(self, value: $type) -> Result<V::Value, E> {
                self.0.$method(value)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Object<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object ({ … })")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Within(map))
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Within<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(f)
    }

    visit! {
        visit_bool(bool)
        visit_i8(i8)
        visit_i16(i16)
        visit_i32(i32)
        visit_i64(i64)
        visit_i128(i128)
        visit_u8(u8)
        visit_u16(u16)
        visit_u32(u32)
        visit_u64(u64)
        visit_u128(u128)
        visit_f32(f32)
        visit_f64(f64)
        visit_char(char)
        visit_str(&str)
        visit_borrowed_str(&'de str)
        visit_string(String)
        visit_bytes(&[u8])
        visit_borrowed_bytes(&'de [u8])
        visit_byte_buf(Vec<u8>)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, inner: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Objects(inner))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, inner: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Objects(inner))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Within(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.0.visit_map(Within(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Within(data))
    }
}

/// Each value read through it is read by [`Objects`].
impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Within<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, inner: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Objects(inner))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Within<A> {
    type Error = A::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        self.0.next_element_seed(Within(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Within<A> {
    type Error = A::Error;

    fn next_key_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, A::Error> {
        self.0.next_key_seed(Within(seed))
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        self.0.next_value_seed(Within(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Within<A> {
    type Error = A::Error;
    type Variant = Within<A::Variant>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Within<A::Variant>), A::Error> {
        let (value, variant) = self.0.variant_seed(Within(seed))?;
        Ok((value, Within(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Within<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, A::Error> {
        self.0.newtype_variant_seed(Within(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Within(visitor))
    }

    /// A struct variant is a struct too: its visitor reads only an object.
    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Object(visitor))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Epic {
        name: String,
        #[serde(default)]
        goal: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum Plan {
        Ship { epic: Epic },
        Later(Vec<Epic>),
        Never,
    }

    #[test]
    fn structs_are_read_from_objects_and_everything_else_as_serde_json_reads_it() {
        let text = r#"{"a": [{"name": "A", "goal": "Pay"}, {"name": "B"}]}"#;
        let read: BTreeMap<String, Vec<Epic>> = from_str(text).unwrap();
        assert_eq!(read, serde_json::from_str(text).unwrap());
        let text = r#"[{"Ship": {"epic": {"name": "A"}}}, {"Later": [{"name": "B"}]}, "Never"]"#;
        let read: Vec<Plan> = from_str(text).unwrap();
        assert_eq!(read, serde_json::from_str::<Vec<Plan>>(text).unwrap());
        let borrowed: Vec<&str> = from_str(r#"["a", "b"]"#).unwrap();
        assert_eq!(borrowed, ["a", "b"]);
        let tuple: (u8, Option<Epic>) = from_str("[1, null]").unwrap();
        assert_eq!(tuple, (1, None));
    }

    #[test]
    fn a_struct_anywhere_that_is_not_an_object_is_refused_at_its_place() {
        let refused = |error: serde_json::Error, place: &str| {
            let error = error.to_string();
            assert!(error.contains("expected a JSON object ({ … })"), "{error}");
            assert!(error.contains(place), "{error}");
        };
        refused(from_str::<Epic>(r#"["A"]"#).unwrap_err(), "line 1 column 0");
        for (text, place) in [
            (r#"{"a": [["A", "Pay"]]}"#, "line 1 column 7"),
            ("{\"a\": [{\"name\": \"A\"},\n  1]}", "line 2 column 3"),
        ] {
            refused(
                from_str::<BTreeMap<String, Vec<Epic>>>(text).unwrap_err(),
                place,
            );
        }
        for text in [
            r#"[{"Ship": {"epic": ["A"]}}]"#,
            r#"[{"Ship": [{"name": "A"}]}]"#,
        ] {
            refused(from_str::<Vec<Plan>>(text).unwrap_err(), "line 1 column");
        }
        assert!(from_str::<Epic>(r#"{"name": "A"} x"#).is_err());
    }
}
