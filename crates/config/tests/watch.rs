//! Hot reload: the watcher reloads on a change of the file, of an included file, or of the `.env`
//! beside it; an invalid change is rejected once with the `config validate` text and the last good
//! snapshot stays with the caller.

use config::watch::{ConfigWatcher, WatchEvent};
use config::{ConfigLocation, ConfigOrigin, Env};

fn cfg(primary: &str) -> String {
    format!(
        r#"{{ agents: {{ defaults: {{ model: {{ primary: "{primary}" }} }} }}, models: {{ $include: "./models.json5" }} }}"#
    )
}

const MODELS: &str = r#"{ providers: { box: { baseUrl: "http://127.0.0.1:1234/v1", models: [{ id: "a", name: "A" }, { id: "b", name: "B" }] } } }"#;

#[test]
fn reloads_valid_changes_and_rejects_invalid_ones_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openclaw.json");
    std::fs::write(&path, cfg("box/a")).unwrap();
    std::fs::write(dir.path().join("models.json5"), MODELS).unwrap();
    let location = ConfigLocation { path: Some(path.clone()), origin: ConfigOrigin::Flag };
    let env = Env::from_pairs([("HOME", dir.path().to_str().unwrap())]);
    let first = config::load(&location, env.clone()).unwrap();
    let mut watcher = ConfigWatcher::new(&first, env);
    assert!(watcher.files().any(|f| f.ends_with("models.json5")), "included files are watched");
    assert!(watcher.poll().is_none(), "nothing changed");

    std::fs::write(&path, cfg("box/b")).unwrap();
    match watcher.poll() {
        Some(WatchEvent::Reloaded(c)) => assert_eq!(c.primary_raw(), Some("box/b")),
        other => panic!("expected a reload, got {other:?}"),
    }
    assert!(watcher.poll().is_none());

    std::fs::write(&path, r#"{ agents: { defaults: { model: { primary: "box/b" } } }, modles: {} }"#)
        .unwrap();
    match watcher.poll() {
        Some(WatchEvent::Rejected(e)) => {
            let text = e.render();
            assert!(text.contains("modles"), "{text}");
            assert!(text.contains("openclaw.json"), "{text}");
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
    assert!(watcher.poll().is_none(), "the same broken content is reported once");

    std::fs::write(&path, cfg("box/a")).unwrap();
    assert!(matches!(watcher.poll(), Some(WatchEvent::Reloaded(_))));

    // A change inside the included file counts too.
    std::fs::write(
        dir.path().join("models.json5"),
        MODELS.replace(r#"{ id: "b", name: "B" }"#, r#"{ id: "b", name: "B" }, { id: "c", name: "C" }"#),
    )
    .unwrap();
    match watcher.poll() {
        Some(WatchEvent::Reloaded(c)) => assert!(c.registry.model("box", "c").is_some()),
        other => panic!("expected a reload, got {other:?}"),
    }
}
