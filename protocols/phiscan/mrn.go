package phiscan

import "labwatch/protocols/app"

// scanMRN tries the site's MRN pattern, when one of its keywords is present.
func scanMRN(data []byte, cfg *Config, r *result) {
	if cfg.mrn == nil {
		return
	}
	if len(cfg.MRNKeywords) > 0 {
		found := false
		for _, k := range cfg.MRNKeywords {
			if containsFold(data, k) {
				found = true
				break
			}
		}
		if !found {
			return
		}
	}
	if cfg.mrn.Match(data) {
		r.add(foundMRN, app.PHIPatientID)
	}
}
