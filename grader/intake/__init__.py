"""Reading submissions: files and form exports into documents, documents into submissions,
rosters and LMS submission times. Takes in untrusted files under bounds; gives out Submissions
(who handed in what, keyed by answer path), people and times, nothing graded yet."""
