//! A `tracing` layer that records every span (name, parent, fields, including those recorded
//! later) and every event, for the tests of the `tracing` feature.
#![allow(dead_code, unreachable_pub)]

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context as LayerContext, Layer};
use tracing_subscriber::registry::LookupSpan;

#[derive(Debug, Clone, Default)]
pub struct SpanInfo {
    pub name: &'static str,
    pub parent: Option<u64>,
    pub fields: HashMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct EventInfo {
    pub level: Level,
    pub message: String,
    pub span: Option<u64>,
}

#[derive(Default, Clone)]
pub struct Captured {
    pub spans: Arc<Mutex<HashMap<u64, SpanInfo>>>,
    pub events: Arc<Mutex<Vec<EventInfo>>>,
}

struct Fields<'a>(&'a mut HashMap<String, String>);

impl Visit for Fields<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Captured {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: LayerContext<'_, S>) {
        let parent = ctx.span(id).and_then(|span| span.parent()).map(|parent| parent.id().into_u64());
        let mut info = SpanInfo { name: attrs.metadata().name(), parent, fields: HashMap::new() };
        attrs.record(&mut Fields(&mut info.fields));
        self.spans.lock().unwrap().insert(id.into_u64(), info);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _ctx: LayerContext<'_, S>) {
        if let Some(info) = self.spans.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(&mut Fields(&mut info.fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: LayerContext<'_, S>) {
        let mut fields = HashMap::new();
        event.record(&mut Fields(&mut fields));
        let span = ctx.event_span(event).map(|span| span.id().into_u64());
        let message = fields.remove("message").unwrap_or_default();
        self.events.lock().unwrap().push(EventInfo { level: *event.metadata().level(), message, span });
    }
}
