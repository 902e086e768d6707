<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl" sourcelanguage="en_GB">
<context>
    <name>acorn::staff::CapturePage</name>
    <message>
        <source>Take &amp;photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Record video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import photos or videos…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import from files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next: describe it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished">Anuluj</translation>
    </message>
    <message>
        <source>Camera viewfinder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take a photo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record a video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import photos or videos from files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No camera</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No camera was found on this device.
Import photos and videos from files instead: choose several at once, or drag them here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capture status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos and videos for this observation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next: describe the observation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The photo could not be taken: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The video could not be recorded: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The camera cannot be used: %1. You can still import photos and videos from files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording stopped at the longest video length (%1). You can change it in Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Stop recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import photos or videos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos and videos (*.jpg *.jpeg *.png *.heic *.webp *.bmp *.gif *.tif *.tiff *.mp4 *.mov *.m4v *.webm *.mkv *.avi *.3gp);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing photos and videos… (%1 to go)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 could not be added: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos and videos ready: %1. Add more, or go on to describe the observation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos and videos you take or import appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this photo</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::ConflictDialog</name>
    <message>
        <source>Choose which version to keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This observation was changed on another device while you amended it here. Compare the two versions and choose one. Fields that differ are marked ●.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Published</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Staff-only note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EYFS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos and videos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your version (this device)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version on the server (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished">%1, %2</translation>
    </message>
    <message>
        <source>yours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep &amp;mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send your version; it replaces the one on the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the &amp;server&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drop your changes; the server&apos;s version stays</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decide &amp;later</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::JournalCard</name>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished">%1, %2</translation>
    </message>
    <message>
        <source>Draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deletion waiting to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sending photos and video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not accepted by the server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed on another device too: choose which version to keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no text)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Children: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+%1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Observation of %1</source>
        <translation type="unfinished">Obserwacja z %1</translation>
    </message>
    <message>
        <source>Next steps: %1</source>
        <translation type="unfinished">Kolejne kroki: %1</translation>
    </message>
    <message>
        <source>Staff only: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::JournalPage</name>
    <message>
        <source>Show older observations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Observations, newest first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no photos or video (no consent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>photos only in their own journal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · observations in %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;New observation for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No observations of %1 on this device yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::MediaPage</name>
    <message>
        <source>This is not on this device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the video…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the photo…</source>
        <translation type="unfinished">Wczytywanie zdjęcia…</translation>
    </message>
    <message>
        <source>This cannot be shown now: %1. It loads when the device can reach the school&apos;s server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading… %1%</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::ObservationEditor</name>
    <message>
        <source> · no photos or video</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What did the child do or say? What did you notice?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What could come next for their learning?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Staff-only note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seen by staff only, never by families</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add photos or videos…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished">Anuluj</translation>
    </message>
    <message>
        <source>Save as &amp;draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Publish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Find a child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Children in this observation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Areas of learning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Characteristics of effective learning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos and videos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add photos or videos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Observation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;What happened:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next steps:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Staff-only &amp;note (families never see it):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved on this device and sent to the school, but not shown to families (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Publish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add it to the journal; families see it when their class&apos;s journal is released (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New observation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amend observation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove from this observation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No photos or videos.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose one or more children.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose at least one child.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write what happened, or add a photo or video.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add it to the journal (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::ObservationPage</name>
    <message>
        <source>&amp;Amend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Choose a version…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Staff-only note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EYFS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Published · amended (revision %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Published</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::OutboxPage</name>
    <message>
        <source>Waiting to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything is sent. Observations you save appear here until the school&apos;s server has them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These are saved on this device and are sent automatically when the school&apos;s server can be reached. The ones marked need you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit and send again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard my change…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a version…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::RosterDelegate</name>
    <message>
        <source>None this half term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This half term: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs observing</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::RosterModel</name>
    <message>
        <source>%1, %2, observations this half term: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, needs observing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, chosen</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::RosterPage</name>
    <message>
        <source>C&amp;hoose children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search by name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fewest observations first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose several children for one observation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New observation for the chosen children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No child matches “%1”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Observations in %1 so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Observations in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No children yet. Your classes appear here after the first sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop choosing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New observation (%1 chosen)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::StaffApp</name>
    <message>
        <source>Acorn</source>
        <translation type="unfinished">Acorn</translation>
    </message>
    <message>
        <source>--server needs HOST:PORT, --pin a fingerprint and --user a username (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acorn could not keep you signed in on this device (%1): you will sign in each time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This device&apos;s Acorn data cannot be opened: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please sign in again: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are signed out. Anything waiting is kept on this device and sent after you sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Built a tall tower with the large blocks together, counting each block aloud up to eight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count beyond ten with objects.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::StaffSettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest video, in minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording stops by itself at this length. Short clips upload faster and are easier for families to watch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Longest &amp;video:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::StaffWindow</name>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back (Alt+Left)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New observation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New observation (Ctrl+N)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find a child</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync &amp;now</source>
        <translation type="unfinished">Synchronizuj &amp;teraz</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation type="unfinished">&amp;Wyloguj się</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished">Za&amp;kończ</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos and videos</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amend observation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&apos;s journal</source>
        <translation type="unfinished">Dziennik: %1</translation>
    </message>
    <message>
        <source>Observation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photo or video</source>
        <translation type="unfinished">Zdjęcie lub film</translation>
    </message>
    <message>
        <source>Waiting (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Observations waiting to send (Ctrl+U)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — %2 — Acorn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>That observation is no longer on this device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft saved on this device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amendment saved on this device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Observation saved on this device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted. The school&apos;s server is told at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete this observation?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is removed from every journal it is in, for staff and families. This cannot be undone from the app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard your change?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your change is dropped; the version on the school&apos;s server stays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This observation never reached the school&apos;s server. Discarding it deletes it from this device for good.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s version is not on this device yet: sync, then try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tracking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tracking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::TrackingChartsView</name>
    <message>
        <source>Judgements per area</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Children</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Observations per child this half term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Observations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a child in the grid to see their progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: progress across half terms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Judgement (0 = none)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::staff::TrackingPage</name>
    <message>
        <source>Record judgement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tracking</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Half term</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Areas of learning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Early Learning Goals</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Judgement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the tracking grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The school calendar has not reached this device yet: sync first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No children in this class on this device.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 cells have no observation this half term.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a cell to list its evidence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This column has no judgement for this class.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Judgement (%1):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No observation of %1 in %2 this half term.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n observation(s) of %1 in %2:</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the tracking summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Child&apos;s summary PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the child&apos;s summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a child&apos;s cell first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Child&apos;s journal PDF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History of this judgement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Child&apos;s journal PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the child&apos;s journal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first day is after the last day: choose the dates again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>acorn::ui::ConnectDialog</name>
    <message>
        <source>Connect to your school</source>
        <translation>Połącz się ze szkołą</translation>
    </message>
</context>
<context>
    <name>acorn::ui::ConnectPage</name>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Połącz</translation>
    </message>
    <message>
        <source>These are the same as the fingerprint the school gave me</source>
        <translation>Zgadza się z odciskiem cyfrowym, który dała mi szkoła</translation>
    </message>
    <message>
        <source>C&amp;ontinue</source>
        <translation>&amp;Dalej</translation>
    </message>
    <message>
        <source>Connect this device to your school&apos;s Acorn server. Use the enrolment code from the letter the school gave you, or the server&apos;s address and fingerprint.</source>
        <translation>Połącz to urządzenie z serwerem Acorn Twojej szkoły. Użyj kodu rejestracji z listu od szkoły albo adresu i odcisku cyfrowego serwera.</translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation>Kod rejestracji</translation>
    </message>
    <message>
        <source>acorn:1:…</source>
        <translation>acorn:1:…</translation>
    </message>
    <message>
        <source>&amp;Enrolment code:</source>
        <translation>&amp;Kod rejestracji:</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Adres serwera</translation>
    </message>
    <message>
        <source>journal.school.example or 192.168.1.20:7443</source>
        <translation>journal.school.example lub 192.168.1.20:7443</translation>
    </message>
    <message>
        <source>Server fingerprint</source>
        <translation>Odcisk cyfrowy serwera</translation>
    </message>
    <message>
        <source>64 letters and digits from the IT manager (optional)</source>
        <translation>64 litery i cyfry od administratora IT (opcjonalnie)</translation>
    </message>
    <message>
        <source>Server &amp;address:</source>
        <translation>&amp;Adres serwera:</translation>
    </message>
    <message>
        <source>&amp;Fingerprint:</source>
        <translation>&amp;Odcisk cyfrowy:</translation>
    </message>
    <message>
        <source>Address and fingerprint</source>
        <translation>Adres i odcisk cyfrowy</translation>
    </message>
    <message>
        <source>Connect to the server</source>
        <translation>Połącz z serwerem</translation>
    </message>
    <message>
        <source>Connection status</source>
        <translation>Stan połączenia</translation>
    </message>
    <message>
        <source>Fingerprint the server presented</source>
        <translation>Odcisk cyfrowy przedstawiony przez serwer</translation>
    </message>
    <message>
        <source>The fingerprints are the same</source>
        <translation>Odciski cyfrowe są takie same</translation>
    </message>
    <message>
        <source>Continue to sign in</source>
        <translation>Przejdź do logowania</translation>
    </message>
    <message>
        <source>The enrolment code cannot be used: %1.</source>
        <translation>Nie można użyć kodu rejestracji: %1.</translation>
    </message>
    <message>
        <source>The server address cannot be used: %1.</source>
        <translation>Nie można użyć adresu serwera: %1.</translation>
    </message>
    <message>
        <source>The fingerprint cannot be used: %1</source>
        <translation>Nie można użyć odcisku cyfrowego: %1</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Łączenie z %1…</translation>
    </message>
    <message>
        <source>the school&apos;s server</source>
        <translation>serwer szkoły</translation>
    </message>
    <message>
        <source>Not connected: the fingerprint does not match.</source>
        <translation>Brak połączenia: odcisk cyfrowy się nie zgadza.</translation>
    </message>
    <message>
        <source>Compare this fingerprint with the one the school&apos;s IT manager gave you, group by group:</source>
        <translation>Porównaj ten odcisk cyfrowy, grupa po grupie, z tym, który dał Ci administrator IT szkoły:</translation>
    </message>
    <message>
        <source>Connected to %1. It has not been checked yet.</source>
        <translation>Połączono z %1. Nie zostało to jeszcze sprawdzone.</translation>
    </message>
    <message>
        <source>Fingerprint the server presented:</source>
        <translation>Odcisk cyfrowy przedstawiony przez serwer:</translation>
    </message>
    <message>
        <source>Connected to %1. Its fingerprint matches the one you were given.</source>
        <translation>Połączono z %1. Jego odcisk cyfrowy zgadza się z tym, który otrzymałeś(-aś).</translation>
    </message>
    <message>
        <source>Connected to %1. Its fingerprint is the one this device already trusts.</source>
        <translation>Połączono z %1. Jego odcisk cyfrowy jest tym, któremu to urządzenie już ufa.</translation>
    </message>
    <message>
        <source>Acorn cannot reach a server at %1. Check the address, and that this device is on the school&apos;s network. (%2)</source>
        <translation>Acorn nie może połączyć się z serwerem pod adresem %1. Sprawdź adres i to, czy urządzenie jest w sieci szkoły. (%2)</translation>
    </message>
    <message>
        <source>The connection to %1 failed: %2</source>
        <translation>Połączenie z %1 nie powiodło się: %2</translation>
    </message>
    <message>
        <source>Not connected: the server&apos;s fingerprint has changed.</source>
        <translation>Brak połączenia: odcisk cyfrowy serwera się zmienił.</translation>
    </message>
</context>
<context>
    <name>acorn::ui::FingerprintChangedDialog</name>
    <message>
        <source>Server fingerprint changed</source>
        <translation>Odcisk cyfrowy serwera się zmienił</translation>
    </message>
    <message>
        <source>Acorn has stopped sending and receiving. You can keep working: everything you save stays on this device until the server is trusted again.</source>
        <translation>Acorn przestał wysyłać i odbierać dane. Możesz dalej pracować: wszystko, co zapiszesz, zostaje na tym urządzeniu, dopóki serwer znów nie będzie zaufany.</translation>
    </message>
    <message>
        <source>Keep working offline</source>
        <translation>Pracuj dalej offline</translation>
    </message>
</context>
<context>
    <name>acorn::ui::FingerprintWarning</name>
    <message>
        <source>Server fingerprint warning</source>
        <translation>Ostrzeżenie o odcisku cyfrowym serwera</translation>
    </message>
    <message>
        <source>The server presented:</source>
        <translation>Serwer przedstawił:</translation>
    </message>
    <message>
        <source>Stop: the school&apos;s server has a different fingerprint</source>
        <translation>Stop: serwer szkoły ma inny odcisk cyfrowy</translation>
    </message>
    <message>
        <source>This device has connected to this server before, and the server&apos;s fingerprint has changed since. Nothing was sent to it. This can mean someone is pretending to be the school&apos;s server.</source>
        <translation>To urządzenie łączyło się już z tym serwerem, a od tego czasu odcisk cyfrowy serwera się zmienił. Nic do niego nie wysłano. Może to oznaczać, że ktoś podszywa się pod serwer szkoły.</translation>
    </message>
    <message>
        <source>Fingerprint this device trusts:</source>
        <translation>Odcisk cyfrowy, któremu ufa to urządzenie:</translation>
    </message>
    <message>
        <source>Do not continue. Tell the school&apos;s IT manager and compare both fingerprints with them. Only if they confirm the server&apos;s key was replaced, remove this account from the device and connect again with the new fingerprint. Work saved on this device is kept.</source>
        <translation>Nie kontynuuj. Powiadom administratora IT szkoły i porównaj z nim oba odciski cyfrowe. Tylko jeśli potwierdzi, że klucz serwera został wymieniony, usuń to konto z urządzenia i połącz się ponownie z nowym odciskiem cyfrowym. Praca zapisana na tym urządzeniu zostanie zachowana.</translation>
    </message>
    <message>
        <source>Stop: this is not the fingerprint you were given</source>
        <translation>Stop: to nie jest odcisk cyfrowy, który otrzymałeś(-aś)</translation>
    </message>
    <message>
        <source>The server at this address presented a different fingerprint from the one you entered. Nothing was sent to it. Check the address and the fingerprint; if both are right, someone may be pretending to be the school&apos;s server.</source>
        <translation>Serwer pod tym adresem przedstawił inny odcisk cyfrowy niż wpisany. Nic do niego nie wysłano. Sprawdź adres i odcisk cyfrowy; jeśli oba są poprawne, ktoś może podszywać się pod serwer szkoły.</translation>
    </message>
    <message>
        <source>Fingerprint you entered:</source>
        <translation>Wpisany odcisk cyfrowy:</translation>
    </message>
    <message>
        <source>Do not continue. Tell the school&apos;s IT manager.</source>
        <translation>Nie kontynuuj. Powiadom administratora IT szkoły.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(brak)</translation>
    </message>
    <message>
        <source>The server presented</source>
        <translation>Serwer przedstawił</translation>
    </message>
</context>
<context>
    <name>acorn::ui::KeychainSession</name>
    <message>
        <source>This device has no working keychain (the safe place where apps keep sign-ins), so Acorn cannot keep you signed in. You will sign in each time you open the app. Your password and sign-in are never written to a file.</source>
        <translation>To urządzenie nie ma działającego magazynu haseł (bezpiecznego miejsca, w którym aplikacje przechowują dane logowania), więc Acorn nie może zapamiętać Twojego logowania. Będziesz logować się przy każdym otwarciu aplikacji. Twoje hasło i dane logowania nigdy nie są zapisywane w pliku.</translation>
    </message>
    <message>
        <source>the keychain did not answer</source>
        <translation>magazyn haseł nie odpowiedział</translation>
    </message>
</context>
<context>
    <name>acorn::ui::MediaThumbnail</name>
    <message>
        <source>Video</source>
        <translation>Film</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>Zdjęcie</translation>
    </message>
    <message>
        <source>Play the video</source>
        <translation>Odtwórz film</translation>
    </message>
    <message>
        <source>Show the photo</source>
        <translation>Pokaż zdjęcie</translation>
    </message>
    <message>
        <source>not on this device</source>
        <translation>nie ma na tym urządzeniu</translation>
    </message>
    <message>
        <source>loading</source>
        <translation>wczytywanie</translation>
    </message>
    <message>
        <source>not on this device yet</source>
        <translation>jeszcze nie ma na tym urządzeniu</translation>
    </message>
    <message>
        <source>cannot be shown</source>
        <translation>nie można wyświetlić</translation>
    </message>
</context>
<context>
    <name>acorn::ui::MediaViewer</name>
    <message>
        <source>Photo or video</source>
        <translation>Zdjęcie lub film</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>Zdjęcie</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>Film</translation>
    </message>
    <message>
        <source>Play or pause</source>
        <translation>Odtwórz lub wstrzymaj</translation>
    </message>
    <message>
        <source>Position in the video</source>
        <translation>Pozycja w filmie</translation>
    </message>
    <message>
        <source>This video cannot be played on this device: %1</source>
        <translation>Tego filmu nie można odtworzyć na tym urządzeniu: %1</translation>
    </message>
    <message>
        <source>This photo cannot be shown: %1</source>
        <translation>Nie można wyświetlić tego zdjęcia: %1</translation>
    </message>
</context>
<context>
    <name>acorn::ui::SignInDialog</name>
    <message>
        <source>Password</source>
        <translation>Hasło</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Nowe hasło</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>Powtórz nowe hasło</translation>
    </message>
    <message>
        <source>I have an &amp;activation code (new account)</source>
        <translation>Mam kod &amp;aktywacyjny (nowe konto)</translation>
    </message>
    <message>
        <source>&amp;Sign in</source>
        <translation>&amp;Zaloguj się</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>Sign in to Acorn</source>
        <translation>Zaloguj się do Acorn</translation>
    </message>
    <message>
        <source>Signing in to %1</source>
        <translation>Logowanie do %1</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>Nazwa użytkownika</translation>
    </message>
    <message>
        <source>Activation code</source>
        <translation>Kod aktywacyjny</translation>
    </message>
    <message>
        <source>as printed on the school&apos;s letter</source>
        <translation>tak jak w liście ze szkoły</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Hasło:</translation>
    </message>
    <message>
        <source>Activation &amp;code:</source>
        <translation>&amp;Kod aktywacyjny:</translation>
    </message>
    <message>
        <source>&amp;New password:</source>
        <translation>&amp;Nowe hasło:</translation>
    </message>
    <message>
        <source>New password &amp;again:</source>
        <translation>&amp;Powtórz nowe hasło:</translation>
    </message>
    <message>
        <source>Choose a password of at least %1 characters that you do not use anywhere else.</source>
        <translation>Wybierz hasło o długości co najmniej %1 znaków, którego nie używasz nigdzie indziej.</translation>
    </message>
    <message>
        <source>&amp;Username:</source>
        <translation>Nazwa &amp;użytkownika:</translation>
    </message>
    <message>
        <source>Sign-in problem</source>
        <translation>Problem z logowaniem</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Zaloguj się</translation>
    </message>
    <message>
        <source>&amp;Activate and sign in</source>
        <translation>&amp;Aktywuj i zaloguj się</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Logowanie…</translation>
    </message>
    <message>
        <source>Enter your username.</source>
        <translation>Wpisz nazwę użytkownika.</translation>
    </message>
    <message>
        <source>Enter the activation code from the school&apos;s letter.</source>
        <translation>Wpisz kod aktywacyjny z listu ze szkoły.</translation>
    </message>
    <message>
        <source>Choose a password of at least %1 characters.</source>
        <translation>Wybierz hasło o długości co najmniej %1 znaków.</translation>
    </message>
    <message>
        <source>The two new passwords are not the same: type them again.</source>
        <translation>Dwa nowe hasła się różnią: wpisz je ponownie.</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>Wpisz hasło.</translation>
    </message>
    <message>
        <source>a member of staff</source>
        <translation>pracownika szkoły</translation>
    </message>
    <message>
        <source>That activation code is not right for this username. Check both against the school&apos;s letter and try again.</source>
        <translation>Ten kod aktywacyjny nie pasuje do tej nazwy użytkownika. Porównaj oba z listem ze szkoły i spróbuj ponownie.</translation>
    </message>
    <message>
        <source>The username or password is not right. Check them and try again.</source>
        <translation>Nazwa użytkownika lub hasło są nieprawidłowe. Sprawdź je i spróbuj ponownie.</translation>
    </message>
    <message>
        <source>That activation code has expired or has already been used. Ask the school for a new one (%1).</source>
        <translation>Ten kod aktywacyjny wygasł lub został już użyty. Poproś szkołę o nowy (%1).</translation>
    </message>
    <message>
        <source>This account is switched off. Please speak to %1.</source>
        <translation>To konto jest wyłączone. Porozmawiaj z: %1.</translation>
    </message>
    <message>
        <source>Your sign-in on this device has ended. Please sign in again.</source>
        <translation>Twoja sesja na tym urządzeniu wygasła. Zaloguj się ponownie.</translation>
    </message>
    <message>
        <source>Acorn cannot reach the school&apos;s server just now. Check this device&apos;s network (Wi-Fi) and try again. (%1)</source>
        <translation>Acorn nie może teraz połączyć się z serwerem szkoły. Sprawdź sieć tego urządzenia (Wi-Fi) i spróbuj ponownie. (%1)</translation>
    </message>
    <message>
        <source>A secure connection to the school&apos;s server could not be made: %1</source>
        <translation>Nie udało się nawiązać bezpiecznego połączenia z serwerem szkoły: %1</translation>
    </message>
    <message>
        <source>Stop: the school&apos;s server presented a different fingerprint from the one this device trusts. Nothing was sent. Tell the school&apos;s IT manager.</source>
        <translation>Stop: serwer szkoły przedstawił inny odcisk cyfrowy niż ten, któremu ufa to urządzenie. Nic nie wysłano. Powiadom administratora IT szkoły.</translation>
    </message>
    <message>
        <source>Too many attempts. Please wait %1 s and try again.</source>
        <translation>Zbyt wiele prób. Odczekaj %1 s i spróbuj ponownie.</translation>
    </message>
    <message>
        <source>This device could not sign in: %1</source>
        <translation>To urządzenie nie mogło się zalogować: %1</translation>
    </message>
    <message>
        <source>This is the app for parents and carers. Staff read journals in the Acorn staff app.</source>
        <translation>To aplikacja dla rodziców i opiekunów. Pracownicy czytają dzienniki w aplikacji Acorn dla personelu.</translation>
    </message>
    <message>
        <source>This is the staff app. Parents and carers read their child&apos;s journal in Acorn Viewer.</source>
        <translation>To aplikacja dla personelu. Rodzice i opiekunowie czytają dziennik dziecka w Acorn Viewer.</translation>
    </message>
    <message>
        <source>This is an IT manager&apos;s account: it manages the school but reads no journals. Sign in with a staff account.</source>
        <translation>To konto administratora IT: zarządza szkołą, ale nie czyta dzienników. Zaloguj się kontem pracownika.</translation>
    </message>
    <message>
        <source>This account cannot use this app.</source>
        <translation>To konto nie może korzystać z tej aplikacji.</translation>
    </message>
    <message>
        <source>Au&amp;thenticator code:</source>
        <translation>Kod &amp;uwierzytelniający:</translation>
    </message>
    <message>
        <source>Authenticator code</source>
        <translation>Kod uwierzytelniający</translation>
    </message>
    <message>
        <source>6 digits from your authenticator app</source>
        <translation>6 cyfr z aplikacji uwierzytelniającej</translation>
    </message>
    <message>
        <source>Enter the 6-digit code from your authenticator app.</source>
        <translation>Wpisz 6-cyfrowy kod z aplikacji uwierzytelniającej.</translation>
    </message>
    <message>
        <source>Your password is set. This account also needs the 6-digit code from your authenticator app: enter it and sign in.</source>
        <translation>Hasło zostało ustawione. To konto wymaga też 6-cyfrowego kodu z aplikacji uwierzytelniającej: wpisz go i zaloguj się.</translation>
    </message>
    <message>
        <source>This account also needs the 6-digit code from your authenticator app: enter it and sign in.</source>
        <translation>To konto wymaga też 6-cyfrowego kodu z aplikacji uwierzytelniającej: wpisz go i zaloguj się.</translation>
    </message>
    <message>
        <source>The password or the code is not right. A code changes every 30 seconds and works once: wait for the next one and try again.</source>
        <translation>Hasło lub kod jest nieprawidłowy. Kod zmienia się co 30 sekund i działa tylko raz: poczekaj na następny i spróbuj ponownie.</translation>
    </message>
</context>
<context>
    <name>acorn::ui::SyncStatusWidget</name>
    <message>
        <source>Sync &amp;now</source>
        <translation>Synchronizuj &amp;teraz</translation>
    </message>
    <message>
        <source>Sync status</source>
        <translation>Stan synchronizacji</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Połączenie</translation>
    </message>
    <message>
        <source>Observations waiting to send</source>
        <translation>Obserwacje czekające na wysłanie</translation>
    </message>
    <message>
        <source>Show what is waiting to be sent</source>
        <translation>Pokaż, co czeka na wysłanie</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Ostatnia synchronizacja</translation>
    </message>
    <message>
        <source>Upload progress</source>
        <translation>Postęp wysyłania</translation>
    </message>
    <message>
        <source>Sync problem</source>
        <translation>Problem z synchronizacją</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Synchronizuj teraz</translation>
    </message>
    <message>
        <source>Send and receive observations now (F5)</source>
        <translation>Wyślij i odbierz obserwacje teraz (F5)</translation>
    </message>
    <message>
        <source>Sending photos and video…</source>
        <translation>Wysyłanie zdjęć i filmów…</translation>
    </message>
    <message>
        <source>Sending observations…</source>
        <translation>Wysyłanie obserwacji…</translation>
    </message>
    <message>
        <source>Receiving…</source>
        <translation>Odbieranie…</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Łączenie…</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation>Jeszcze nie zsynchronizowano</translation>
    </message>
    <message>
        <source>Offline: your work is saved on this device</source>
        <translation>Offline: Twoja praca jest zapisana na tym urządzeniu</translation>
    </message>
    <message>
        <source>Sync problem: your work is saved on this device</source>
        <translation>Problem z synchronizacją: Twoja praca jest zapisana na tym urządzeniu</translation>
    </message>
    <message>
        <source>Signed out: sign in again to send and receive</source>
        <translation>Wylogowano: zaloguj się ponownie, aby wysyłać i odbierać</translation>
    </message>
    <message>
        <source>Stopped: the server&apos;s fingerprint has changed</source>
        <translation>Zatrzymano: odcisk cyfrowy serwera się zmienił</translation>
    </message>
    <message>
        <source>Waiting to send: %1</source>
        <translation>Czeka na wysłanie: %1</translation>
    </message>
    <message>
        <source>Need your attention: %1</source>
        <translation>Wymaga uwagi: %1</translation>
    </message>
    <message>
        <source>Everything is sent</source>
        <translation>Wszystko wysłano</translation>
    </message>
    <message>
        <source>Last synced %1</source>
        <translation>Ostatnia synchronizacja: %1</translation>
    </message>
    <message>
        <source>Uploading %1 of %2</source>
        <translation>Wysyłanie: %1 z %2</translation>
    </message>
    <message>
        <source>Trying again in %1 s.</source>
        <translation>Ponowna próba za %1 s.</translation>
    </message>
    <message>
        <source>Trying again at %1.</source>
        <translation>Ponowna próba o %1.</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::ChildCard</name>
    <message>
        <source>Initials of %1</source>
        <translation>Inicjały: %1</translation>
    </message>
    <message>
        <source>Nothing shared yet</source>
        <translation>Jeszcze nic nie udostępniono</translation>
    </message>
    <message>
        <source>Observations: %1
The latest: %2</source>
        <translation>Obserwacje: %1
Najnowsza: %2</translation>
    </message>
    <message>
        <source>Open %1&apos;s journal</source>
        <translation>Otwórz dziennik: %1</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::ConsentDialog</name>
    <message>
        <source>Please keep these photos private</source>
        <translation>Prosimy, zachowaj te zdjęcia dla siebie</translation>
    </message>
    <message>
        <source>The school&apos;s reminder about photos</source>
        <translation>Przypomnienie szkoły o zdjęciach</translation>
    </message>
    <message>
        <source>I &amp;understand</source>
        <translation>&amp;Rozumiem</translation>
    </message>
    <message>
        <source>I understand and will keep the photos private</source>
        <translation>Rozumiem i zachowam zdjęcia dla siebie</translation>
    </message>
    <message>
        <source>&amp;Sign out</source>
        <translation>&amp;Wyloguj się</translation>
    </message>
    <message>
        <source>Sign out without opening the journal</source>
        <translation>Wyloguj się bez otwierania dziennika</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::ConsentReminder</name>
    <message>
        <source>Before you look: please keep these photos private</source>
        <translation>Zanim zaczniesz: prosimy, zachowaj te zdjęcia dla siebie</translation>
    </message>
    <message>
        <source>your child&apos;s school</source>
        <translation>szkołę Twojego dziecka</translation>
    </message>
    <message>
        <source>This journal is shared with you by %1 so that you can follow your child&apos;s learning.</source>
        <translation>Ten dziennik udostępnia Ci %1, abyś mógł(-a) śledzić naukę swojego dziecka.</translation>
    </message>
    <message>
        <source>Please do not publish anything from it on social media or anywhere public.</source>
        <translation>Prosimy nie publikować niczego z niego w mediach społecznościowych ani w żadnym miejscu publicznym.</translation>
    </message>
    <message>
        <source>Some photos and videos include other children. Their parents agreed to them appearing in your child&apos;s journal, not to anything more: please protect their images and do not share them.</source>
        <translation>Na niektórych zdjęciach i filmach są inne dzieci. Ich rodzice zgodzili się na to, by pojawiły się w dzienniku Twojego dziecka, i na nic więcej: chroń ich wizerunek i nie udostępniaj go.</translation>
    </message>
    <message>
        <source>Photos you view carry your name and the date.</source>
        <translation>Oglądane przez Ciebie zdjęcia są oznaczone Twoim imieniem i nazwiskiem oraz datą.</translation>
    </message>
    <message>
        <source>If you see something that worries you, please speak to a member of staff.</source>
        <translation>Jeśli zobaczysz coś niepokojącego, porozmawiaj z pracownikiem szkoły.</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::HomePage</name>
    <message>
        <source>Your children&apos;s journals</source>
        <translation>Dzienniki Twoich dzieci</translation>
    </message>
    <message>
        <source>Hello, %1</source>
        <translation>Dzień dobry, %1</translation>
    </message>
    <message>
        <source>Journals brought up to date on %1 at %2.</source>
        <extracomment>when the journals were last synchronised: %1 a date, %2 a time</extracomment>
        <translation>Dzienniki zaktualizowano %1 o %2.</translation>
    </message>
    <message>
        <source>The journals have not been brought up to date on this computer yet.</source>
        <translation>Dzienniki nie zostały jeszcze zaktualizowane na tym komputerze.</translation>
    </message>
    <message>
        <source>No children are linked to this account yet. Please speak to a member of staff.</source>
        <translation>Z tym kontem nie są jeszcze powiązane żadne dzieci. Porozmawiaj z pracownikiem szkoły.</translation>
    </message>
    <message>
        <source>No children are linked to this account yet. Please speak to a member of staff (%1).</source>
        <translation>Z tym kontem nie są jeszcze powiązane żadne dzieci. Porozmawiaj z pracownikiem szkoły (%1).</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::JournalModel</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::JournalPage</name>
    <message>
        <source>&amp;All children</source>
        <translation>&amp;Wszystkie dzieci</translation>
    </message>
    <message>
        <source>Back to all children</source>
        <translation>Wróć do wszystkich dzieci</translation>
    </message>
    <message>
        <source>&amp;Keep a copy…</source>
        <translation>&amp;Zachowaj kopię…</translation>
    </message>
    <message>
        <source>Keep a copy of this journal on this computer</source>
        <translation>Zachowaj kopię tego dziennika na tym komputerze</translation>
    </message>
    <message>
        <source>Save this journal as a folder of web page, photos and videos, each photo labelled with its date and what it shows.</source>
        <translation>Zapisz ten dziennik jako folder ze stroną internetową, zdjęciami i filmami; każde zdjęcie będzie opisane datą i tym, co przedstawia.</translation>
    </message>
    <message>
        <source>Search this journal (Ctrl+F)</source>
        <translation>Szukaj w tym dzienniku (Ctrl+F)</translation>
    </message>
    <message>
        <source>Search this journal</source>
        <translation>Szukaj w tym dzienniku</translation>
    </message>
    <message>
        <source>A&amp;rea:</source>
        <translation>&amp;Obszar:</translation>
    </message>
    <message>
        <source>Show one area of learning</source>
        <translation>Pokaż jeden obszar nauki</translation>
    </message>
    <message>
        <source>&amp;When:</source>
        <translation>&amp;Kiedy:</translation>
    </message>
    <message>
        <source>Show one half term or chosen dates</source>
        <translation>Pokaż jedną połowę semestru lub wybrane daty</translation>
    </message>
    <message>
        <source>From date</source>
        <translation>Od dnia</translation>
    </message>
    <message>
        <source>To date</source>
        <translation>Do dnia</translation>
    </message>
    <message>
        <source>Show &amp;everything</source>
        <translation>Pokaż &amp;wszystko</translation>
    </message>
    <message>
        <source>Clear the search and filters</source>
        <translation>Wyczyść wyszukiwanie i filtry</translation>
    </message>
    <message>
        <source>Journal</source>
        <translation>Dziennik</translation>
    </message>
    <message>
        <source>%1&apos;s journal</source>
        <translation>Dziennik: %1</translation>
    </message>
    <message>
        <source>Keep a copy of %1&apos;s journal on this computer</source>
        <translation>Zachowaj kopię dziennika (%1) na tym komputerze</translation>
    </message>
    <message>
        <source>All areas of learning</source>
        <translation>Wszystkie obszary nauki</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Dowolny czas</translation>
    </message>
    <message>
        <source>Choose dates…</source>
        <translation>Wybierz daty…</translation>
    </message>
    <message>
        <source>Half term: %1</source>
        <translation>Połowa semestru: %1</translation>
    </message>
    <message>
        <source>Nothing has been shared in this journal yet.
%1</source>
        <translation>W tym dzienniku nic jeszcze nie udostępniono.
%1</translation>
    </message>
    <message>
        <source>Nothing in this journal matches. Press &quot;Show everything&quot; to see it all.</source>
        <translation>Nic w tym dzienniku nie pasuje. Naciśnij „Pokaż wszystko”, aby zobaczyć całość.</translation>
    </message>
    <message>
        <source>Observations: %1</source>
        <translation>Obserwacje: %1</translation>
    </message>
    <message>
        <source>Matching: %1 of %2</source>
        <translation>Pasujące: %1 z %2</translation>
    </message>
    <message>
        <source>The school&apos;s judgements at the end of each half term, shared once they are released.</source>
        <translation>Oceny szkoły na koniec każdego półsemestru, udostępniane po ich opublikowaniu.</translation>
    </message>
    <message>
        <source>How %1 is getting on</source>
        <translation>Jak radzi sobie %1</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::KeepsakeExporter</name>
    <message>
        <source>%1 %2 learning journal</source>
        <translation>Dziennik nauki: %1 %2</translation>
    </message>
    <message>
        <source>%1 is not a photo this app can label</source>
        <translation>%1 nie jest zdjęciem, które ta aplikacja potrafi opisać</translation>
    </message>
    <message>
        <source>could not write the date and caption into %1: %2</source>
        <translation>nie udało się zapisać daty i podpisu w %1: %2</translation>
    </message>
    <message>
        <source>The folder %1 could not be created: choose another place.</source>
        <translation>Nie udało się utworzyć folderu %1: wybierz inne miejsce.</translation>
    </message>
    <message>
        <source>The folder %1 already holds other files: choose an empty folder.</source>
        <translation>Folder %1 zawiera już inne pliki: wybierz pusty folder.</translation>
    </message>
    <message>
        <source>Next steps:</source>
        <translation>Kolejne kroki:</translation>
    </message>
    <message>
        <source>Areas of learning:</source>
        <translation>Obszary nauki:</translation>
    </message>
    <message>
        <source>A video from this day was not downloaded to this computer when this copy was made.</source>
        <translation>Film z tego dnia nie był pobrany na ten komputer, gdy tworzono tę kopię.</translation>
    </message>
    <message>
        <source>A photo from this day was not downloaded to this computer when this copy was made.</source>
        <translation>Zdjęcie z tego dnia nie było pobrane na ten komputer, gdy tworzono tę kopię.</translation>
    </message>
    <message>
        <source>%1 could not be written (is the disk full?)</source>
        <translation>Nie udało się zapisać %1 (czy dysk jest pełny?)</translation>
    </message>
    <message>
        <source>Video (%1)</source>
        <translation>Film (%1)</translation>
    </message>
    <message>
        <source>Photo from %1</source>
        <translation>Zdjęcie z %1</translation>
    </message>
    <message>
        <source>This observation also has photos or videos the school did not share with families (usually because they include other children), so they are not in this copy.</source>
        <translation>Ta obserwacja ma też zdjęcia lub filmy, których szkoła nie udostępniła rodzinom (zwykle dlatego, że są na nich inne dzieci), więc nie ma ich w tej kopii.</translation>
    </message>
    <message>
        <source>There is nothing in this journal yet.</source>
        <translation>W tym dzienniku jeszcze nic nie ma.</translation>
    </message>
    <message>
        <source>%1&apos;s learning journal</source>
        <translation>Dziennik nauki: %1</translation>
    </message>
    <message>
        <source>Copied on %1.</source>
        <translation>Skopiowano %1.</translation>
    </message>
    <message>
        <source>From %1, copied on %2.</source>
        <translation>Od: %1, skopiowano %2.</translation>
    </message>
    <message>
        <source>Photos of other children are in this journal only with their parents&apos; consent: please keep them private and do not publish them online.</source>
        <translation>Zdjęcia innych dzieci są w tym dzienniku wyłącznie za zgodą ich rodziców: zachowaj je dla siebie i nie publikuj ich w internecie.</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::KeepsakeJob</name>
    <message>
        <source>Downloading photos and videos…</source>
        <translation>Pobieranie zdjęć i filmów…</translation>
    </message>
    <message>
        <source>Writing the copy…</source>
        <translation>Zapisywanie kopii…</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::MediaFetcher</name>
    <message>
        <source>Not downloaded yet: it will be shown when this computer is back online.</source>
        <translation>Jeszcze nie pobrano: zostanie pokazane, gdy komputer znów będzie online.</translation>
    </message>
    <message>
        <source>The school does not share this with families, so it is not shown.</source>
        <translation>Szkoła nie udostępnia tego rodzinom, więc nie jest to pokazywane.</translation>
    </message>
    <message>
        <source>The school&apos;s server sent a media item this app cannot read.</source>
        <translation>Serwer szkoły przesłał plik multimedialny, którego ta aplikacja nie potrafi odczytać.</translation>
    </message>
    <message>
        <source>The school&apos;s server did not send this media.</source>
        <translation>Serwer szkoły nie przesłał tego pliku multimedialnego.</translation>
    </message>
    <message>
        <source>The media could not be downloaded: %1</source>
        <translation>Nie udało się pobrać pliku multimedialnego: %1</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::MediaTile</name>
    <message>
        <source>video</source>
        <translation>film</translation>
    </message>
    <message>
        <source>photo</source>
        <translation>zdjęcie</translation>
    </message>
    <message>
        <source>Video: press to play</source>
        <translation>Film: naciśnij, aby odtworzyć</translation>
    </message>
    <message>
        <source>Photo: press to see it full size</source>
        <translation>Zdjęcie: naciśnij, aby zobaczyć w pełnym rozmiarze</translation>
    </message>
    <message>
        <source>Play the video</source>
        <translation>Odtwórz film</translation>
    </message>
    <message>
        <source>See the photo full size</source>
        <translation>Zobacz zdjęcie w pełnym rozmiarze</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wczytywanie…</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::ObservationCard</name>
    <message>
        <source>Observation of %1</source>
        <translation>Obserwacja z %1</translation>
    </message>
    <message>
        <source>Next steps: %1</source>
        <translation>Kolejne kroki: %1</translation>
    </message>
    <message>
        <source>Area of learning: %1</source>
        <translation>Obszar nauki: %1</translation>
    </message>
    <message>
        <source>Video %1 from %2: press to play</source>
        <translation>Film %1 z %2: naciśnij, aby odtworzyć</translation>
    </message>
    <message>
        <source>Photo %1 from %2: press to see it full size</source>
        <translation>Zdjęcie %1 z %2: naciśnij, aby zobaczyć w pełnym rozmiarze</translation>
    </message>
    <message>
        <source>Video: press to play</source>
        <translation>Film: naciśnij, aby odtworzyć</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>Zdjęcie</translation>
    </message>
    <message>
        <source>Recorded by %1</source>
        <translation>Zapisał(a): %1</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::PhotoViewer</name>
    <message>
        <source>Photo</source>
        <translation>Zdjęcie</translation>
    </message>
    <message>
        <source>What the photo shows</source>
        <translation>Co przedstawia zdjęcie</translation>
    </message>
    <message>
        <source>&amp;Previous</source>
        <translation>&amp;Poprzednie</translation>
    </message>
    <message>
        <source>Previous photo</source>
        <translation>Poprzednie zdjęcie</translation>
    </message>
    <message>
        <source>&amp;Next</source>
        <translation>&amp;Następne</translation>
    </message>
    <message>
        <source>Next photo</source>
        <translation>Następne zdjęcie</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Zamknij</translation>
    </message>
    <message>
        <source>Close the photo</source>
        <translation>Zamknij zdjęcie</translation>
    </message>
    <message>
        <source>This photo could not be opened.</source>
        <translation>Nie udało się otworzyć tego zdjęcia.</translation>
    </message>
    <message>
        <source>Loading the full-size photo…</source>
        <translation>Wczytywanie zdjęcia w pełnym rozmiarze…</translation>
    </message>
    <message>
        <source>There is no photo to show.</source>
        <translation>Nie ma zdjęcia do pokazania.</translation>
    </message>
    <message>
        <source>Photo %1 of %2</source>
        <translation>Zdjęcie %1 z %2</translation>
    </message>
    <message>
        <source>Loading the photo…</source>
        <translation>Wczytywanie zdjęcia…</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::ProgressSummary</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::SchoolCalendar</name>
    <message>
        <source>%1 journal: updated as staff add to it</source>
        <translation>Dziennik (%1): aktualizowany na bieżąco, gdy personel coś dodaje</translation>
    </message>
    <message>
        <source>%1 journal: the school has not set the next update date yet</source>
        <translation>Dziennik (%1): szkoła nie ustaliła jeszcze daty następnej aktualizacji</translation>
    </message>
    <message>
        <source>%1 journal: next update on %2</source>
        <extracomment>%1 is a class name, %2 a date such as &quot;Fri 18 December&quot;</extracomment>
        <translation>Dziennik (%1): następna aktualizacja %2</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <extracomment>half-term heading: %1 its name (&quot;Autumn 2&quot;), %2 the year it starts in</extracomment>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <extracomment>date and time of an observation: %1 the date, %2 the time</extracomment>
        <translation>%1, %2</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::VideoPlayer</name>
    <message>
        <source>Video</source>
        <translation>Film</translation>
    </message>
    <message>
        <source>Video download progress</source>
        <translation>Postęp pobierania filmu</translation>
    </message>
    <message>
        <source>Downloading the video…</source>
        <translation>Pobieranie filmu…</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>&amp;Odtwórz</translation>
    </message>
    <message>
        <source>Play or pause</source>
        <translation>Odtwórz lub wstrzymaj</translation>
    </message>
    <message>
        <source>Position in the video</source>
        <translation>Pozycja w filmie</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Zamknij</translation>
    </message>
    <message>
        <source>Close the video</source>
        <translation>Zamknij film</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Wstrzymaj</translation>
    </message>
    <message>
        <source>This video cannot be played on this computer: %1</source>
        <translation>Tego filmu nie można odtworzyć na tym komputerze: %1</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::ViewerApp</name>
    <message>
        <source>Connect to your child&apos;s school</source>
        <translation>Połącz się ze szkołą dziecka</translation>
    </message>
    <message>
        <source>Sign in to your child&apos;s journal</source>
        <translation>Zaloguj się do dziennika dziecka</translation>
    </message>
    <message>
        <source>Acorn</source>
        <translation>Acorn</translation>
    </message>
    <message>
        <source>This computer could not remember the school: %1</source>
        <translation>Ten komputer nie mógł zapamiętać szkoły: %1</translation>
    </message>
    <message>
        <source>Signing in next time</source>
        <translation>Logowanie następnym razem</translation>
    </message>
    <message>
        <source>Acorn could not keep you signed in (%1): you will sign in again next time.</source>
        <translation>Acorn nie mógł zapamiętać logowania (%1): następnym razem zaloguj się ponownie.</translation>
    </message>
    <message>
        <source>You have signed out.</source>
        <translation>Wylogowano.</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::ViewerSession</name>
    <message>
        <source>Connecting to the school…</source>
        <translation>Łączenie ze szkołą…</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Logowanie…</translation>
    </message>
    <message>
        <source>Receiving the journal…</source>
        <translation>Odbieranie dziennika…</translation>
    </message>
    <message>
        <source>Updating…</source>
        <translation>Aktualizowanie…</translation>
    </message>
    <message>
        <source>The school&apos;s server cannot be reached, so this is the journal as it was at the last update. Check the internet connection and press F5 to try again.</source>
        <translation>Nie można połączyć się z serwerem szkoły, więc widzisz dziennik z ostatniej aktualizacji. Sprawdź połączenie z internetem i naciśnij F5, aby spróbować ponownie.</translation>
    </message>
    <message>
        <source>The connection to the school&apos;s server was not safe, so nothing was sent: %1</source>
        <translation>Połączenie z serwerem szkoły nie było bezpieczne, więc nic nie wysłano: %1</translation>
    </message>
    <message>
        <source>Please sign in again.</source>
        <translation>Zaloguj się ponownie.</translation>
    </message>
    <message>
        <source>This computer could not save the journal: %1</source>
        <translation>Ten komputer nie mógł zapisać dziennika: %1</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::ViewerWindow</name>
    <message>
        <source>Acorn learning journal</source>
        <translation>Dziennik nauki Acorn</translation>
    </message>
    <message>
        <source>&amp;Home</source>
        <translation>&amp;Start</translation>
    </message>
    <message>
        <source>All children (Alt+Home)</source>
        <translation>Wszystkie dzieci (Alt+Home)</translation>
    </message>
    <message>
        <source>&amp;Update now</source>
        <translation>&amp;Aktualizuj teraz</translation>
    </message>
    <message>
        <source>Bring the journals up to date (F5)</source>
        <translation>Zaktualizuj dzienniki (F5)</translation>
    </message>
    <message>
        <source>&amp;Find in journal</source>
        <translation>&amp;Znajdź w dzienniku</translation>
    </message>
    <message>
        <source>&amp;Keep a copy…</source>
        <translation>&amp;Zachowaj kopię…</translation>
    </message>
    <message>
        <source>Keep a copy of this journal on this computer (Ctrl+E)</source>
        <translation>Zachowaj kopię tego dziennika na tym komputerze (Ctrl+E)</translation>
    </message>
    <message>
        <source>&amp;About and privacy</source>
        <translation>&amp;O programie i prywatność</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>&amp;Wyloguj się</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>Za&amp;kończ</translation>
    </message>
    <message>
        <source>&amp;Journal</source>
        <translation>&amp;Dziennik</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Po&amp;moc</translation>
    </message>
    <message>
        <source>Journal</source>
        <translation>Dziennik</translation>
    </message>
    <message>
        <source>Progress of bringing the journals up to date</source>
        <translation>Postęp aktualizacji dzienników</translation>
    </message>
    <message>
        <source>Bringing the journals up to date…</source>
        <translation>Aktualizowanie dzienników…</translation>
    </message>
    <message>
        <source>Up to date.</source>
        <translation>Aktualne.</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Offline: showing the journals saved on this computer</source>
        <translation>Offline: pokazywane są dzienniki zapisane na tym komputerze</translation>
    </message>
    <message>
        <source>Choose where to keep the copy</source>
        <translation>Wybierz, gdzie zachować kopię</translation>
    </message>
    <message>
        <source>Keeping a copy of the journal…</source>
        <translation>Zachowywanie kopii dziennika…</translation>
    </message>
    <message>
        <source>Keep a copy</source>
        <translation>Zachowaj kopię</translation>
    </message>
    <message>
        <source>The copy could not be made. %1</source>
        <translation>Nie udało się utworzyć kopii. %1</translation>
    </message>
    <message>
        <source>The copy is in %1.</source>
        <translation>Kopia jest w: %1.</translation>
    </message>
    <message>
        <source>Observations: %1, photos: %2, videos: %3.</source>
        <translation>Obserwacje: %1, zdjęcia: %2, filmy: %3.</translation>
    </message>
    <message>
        <source>Photos or videos that could not be downloaded now: %1. Make the copy again when this computer is online.</source>
        <translation>Zdjęcia lub filmy, których teraz nie udało się pobrać: %1. Utwórz kopię ponownie, gdy komputer będzie online.</translation>
    </message>
    <message>
        <source>&amp;Open the folder</source>
        <translation>&amp;Otwórz folder</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Acorn learning journal %1&lt;/h3&gt;&lt;p&gt;Signed in as %2%3.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Dziennik nauki Acorn %1&lt;/h3&gt;&lt;p&gt;Zalogowano jako %2%3.&lt;/p&gt;</translation>
    </message>
    <message>
        <source> at %1</source>
        <translation> (%1)</translation>
    </message>
    <message>
        <source>&lt;p&gt;Questions about the journal: %1.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Pytania dotyczące dziennika: %1.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Acorn is free software.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Acorn jest wolnym oprogramowaniem.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About Acorn</source>
        <translation>O programie Acorn</translation>
    </message>
    <message>
        <source>The journal data on this computer was damaged (%1), so Acorn set it aside and started afresh: the journals are being downloaded again from the school. Nothing on the school&apos;s server was affected. The damaged file is kept as %2 for the school&apos;s IT manager.</source>
        <translation>Dane dziennika na tym komputerze były uszkodzone (%1), więc Acorn odłożył je na bok i zaczął od nowa: dzienniki są ponownie pobierane ze szkoły. Nic na serwerze szkoły nie zostało naruszone. Uszkodzony plik zachowano jako %2 dla szkolnego administratora IT.</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::Watermark</name>
    <message>
        <source>%1 · %2</source>
        <extracomment>photo watermark: %1 the signed-in family&apos;s name, %2 today&apos;s date</extracomment>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>acorn::viewer::WithheldTile</name>
    <message>
        <source>This video includes other children, so it is not shown.</source>
        <translation>W tym filmie są inne dzieci, więc nie jest on pokazywany.</translation>
    </message>
    <message>
        <source>This photo includes other children, so it is not shown.</source>
        <translation>Na tym zdjęciu są inne dzieci, więc nie jest ono pokazywane.</translation>
    </message>
    <message>
        <source>This video is no longer shared with families, so it is not shown.</source>
        <translation>Ten film nie jest już udostępniany rodzinom, więc nie jest pokazywany.</translation>
    </message>
    <message>
        <source>This photo is no longer shared with families, so it is not shown.</source>
        <translation>To zdjęcie nie jest już udostępniane rodzinom, więc nie jest pokazywane.</translation>
    </message>
    <message>
        <source>Other children appear in it, and their families have not agreed to that.</source>
        <translation>Są na nim inne dzieci, a ich rodziny się na to nie zgodziły.</translation>
    </message>
    <message>
        <source>The school has stopped sharing it.</source>
        <translation>Szkoła przestała to udostępniać.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Acorn for staff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acorn learning journal: the staff app.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>School server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server&apos;s fingerprint (with --server).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start from an enrolment code.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save PNG screenshots of the main screens into DIR, then quit.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
