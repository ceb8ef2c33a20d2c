"""PIPL: consent to the processing of sensitive personal information, the person's copy of
their own data (个人信息副本), and anonymisation once the retention period has passed."""
