package detect

import "time"

// Capture time is cut into hours of the site's time zone. An hour is identified by
// its index since the Unix epoch (in UTC hours, which line up with local hours in
// every zone with whole-hour offsets); its profile slot is the local hour of day
// and whether the local day is a weekend.

const (
	weekday = 0
	weekend = 1
)

// hourIndex returns the index of the hour holding t.
func hourIndex(t time.Time) int64 {
	return t.Unix() / 3600
}

// hourStart returns the start of hour index h.
func hourStart(h int64) time.Time { return time.Unix(h*3600, 0).UTC() }

// slotOf returns the day type and local hour of day of hour index h.
func slotOf(h int64, loc *time.Location) (dayType, hour int) {
	t := hourStart(h).In(loc)
	dayType = weekday
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		dayType = weekend
	}
	return dayType, t.Hour()
}

var dayTypeNames = [2]string{"weekday", "weekend"}
