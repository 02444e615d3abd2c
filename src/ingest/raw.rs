//! Typed, allocation-light parsing of native JSON.
//!
//! `serde_json::Value` keeps every object in an ordered map, which costs several allocations
//! per annotation; a 180 MB file with a million annotations spent most of its time in the
//! allocator. These types read an article's known shape directly (annotation objects as a small
//! vector of borrowed keys and values) and fall back to `Value` for anything unexpected, so a
//! wrongly typed field is still kept and reported, never lost.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::model::Annotation;

/// A key, borrowed from the input when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// The scalar visits shared by the "object, or anything else as a `Value`" visitors.
macro_rules! other_scalars {
    ($wrap:expr) => {
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            Ok($wrap(Value::Bool(v)))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok($wrap(Value::from(v)))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok($wrap(Value::from(v)))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok($wrap(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)))
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok($wrap(Value::String(v.to_string())))
        }
        fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
            Ok($wrap(Value::String(v)))
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($wrap(Value::Null))
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok($wrap(Value::Null))
        }
    };
}

/// An object as a small vector of (key, value) pairs, in file order.
#[derive(Debug, Default)]
pub(crate) struct RawObj<'de>(pub Vec<(Cow<'de, str>, Value)>);

impl RawObj<'_> {
    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Removes and returns the value of `key`.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(i).1)
    }

    /// The remaining pairs as a JSON map.
    pub fn into_map(self) -> Map<String, Value> {
        self.0.into_iter().map(|(k, v)| (k.into_owned(), v)).collect()
    }
}

fn read_obj<'de, A: MapAccess<'de>>(mut map: A) -> Result<RawObj<'de>, A::Error> {
    let mut v = Vec::with_capacity(map.size_hint().unwrap_or(8));
    while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
        let val: Value = map.next_value()?;
        v.push((k, val));
    }
    Ok(RawObj(v))
}

/// One element of an `annotations` array: an object, or anything else (reported).
#[derive(Debug)]
pub(crate) enum RawItem<'de> {
    /// An annotation object.
    Obj(RawObj<'de>),
    /// Something that is no object.
    Other(Value),
}

impl<'de> Deserialize<'de> for RawItem<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawItem<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an annotation")
            }
            other_scalars!(RawItem::Other);
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawItem<'de>, A::Error> {
                read_obj(map).map(RawItem::Obj)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawItem<'de>, A::Error> {
                Value::deserialize(SeqAccessDeserializer::new(seq)).map(RawItem::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// The elements of an `annotations` array after reading, stored by column so that the
/// annotations (nearly all of them) become the article's vector without being moved again.
#[derive(Debug, Default)]
pub(crate) struct AnnList {
    /// The annotations, in file order (offsets not yet checked against the text).
    pub anns: Vec<Annotation>,
    /// The raw code-point offsets of each annotation, as read (repaired when unusable).
    pub offsets: Vec<(i128, i128)>,
    /// What was wrong with some annotations: (index into `anns`, issue).
    pub issues: Vec<(usize, super::Issue)>,
    /// Elements that are no object: (position in the array, element).
    pub others: Vec<(usize, Value)>,
}

impl AnnList {
    /// An empty list with room for `n` annotations.
    pub fn with_capacity(n: usize) -> Self {
        AnnList { anns: Vec::with_capacity(n), offsets: Vec::with_capacity(n), ..Default::default() }
    }

    /// The number of elements read so far.
    pub fn len(&self) -> usize {
        self.anns.len() + self.others.len()
    }

    /// Appends an annotation as read.
    pub fn push(&mut self, p: super::ParsedAnn) {
        if let Some(issue) = p.issue {
            self.issues.push((self.anns.len(), issue));
        }
        self.anns.push(p.ann);
        self.offsets.push((p.start, p.end));
    }

    /// Appends the annotations of `other`, read after those of `self` (with no element that is
    /// no object).
    pub fn append(&mut self, other: AnnList) {
        let n = self.anns.len();
        self.issues.extend(other.issues.into_iter().map(|(i, x)| (i + n, x)));
        self.anns.extend(other.anns);
        self.offsets.extend(other.offsets);
    }

    /// Appends an element that is no object.
    pub fn push_other(&mut self, v: Value) {
        self.others.push((self.len(), v));
    }
}

/// The `annotations` field: an array, or anything else (reported and kept).
#[derive(Debug)]
pub(crate) enum AnnField {
    /// The elements, each converted as soon as it is read (no intermediate tree).
    List(AnnList),
    /// Not an array.
    Other(Value),
}

impl<'de> Deserialize<'de> for AnnField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AnnField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of annotations")
            }
            other_scalars!(AnnField::Other);
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<AnnField, A::Error> {
                Value::deserialize(MapAccessDeserializer::new(map)).map(AnnField::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnnField, A::Error> {
                let mut v = AnnList::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element::<RawItem<'de>>()? {
                    match item {
                        RawItem::Obj(o) => v.push(super::parse_annotation(o, v.len())),
                        RawItem::Other(x) => v.push_other(x),
                    }
                }
                Ok(AnnField::List(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// An article object: `text` and `annotations` apart, every other field as JSON.
#[derive(Debug, Default)]
pub(crate) struct RawArticle {
    /// The `text` field as given (may be of the wrong type).
    pub text: Option<Value>,
    /// The `annotations` field.
    pub annotations: Option<AnnField>,
    /// Every other field.
    pub rest: Map<String, Value>,
}

/// A top-level value (or array element) of a native file: an article object or anything else.
#[derive(Debug)]
pub(crate) enum RawTop {
    /// An object: an article candidate.
    Article(RawArticle),
    /// An array (only meaningful at the top level).
    Array(Vec<RawTop>),
    /// Anything else.
    Other(Value),
}

impl<'de> Deserialize<'de> for RawTop {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawTop;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an article object or an array of them")
            }
            other_scalars!(RawTop::Other);
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawTop, A::Error> {
                let mut a = RawArticle::default();
                while let Some(Key(k)) = map.next_key::<Key<'de>>()? {
                    match k.as_ref() {
                        "text" => a.text = Some(map.next_value()?),
                        "annotations" => a.annotations = Some(map.next_value()?),
                        _ => {
                            let v: Value = map.next_value()?;
                            a.rest.insert(k.into_owned(), v);
                        }
                    }
                }
                Ok(RawTop::Article(a))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawTop, A::Error> {
                let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element::<RawTop>()? {
                    v.push(item);
                }
                Ok(RawTop::Array(v))
            }
        }
        d.deserialize_any(V)
    }
}
